/* Little-endian on-disk field types (STYLE A3). Each is a byte array, so a
 * format struct built from them has alignment 1 and the layout the spec
 * gives without __packed, and a field can only be read through get_le*(),
 * which assembles the value byte by byte (no unaligned loads: safe before
 * the MMU is on). In lib/ because partition tables, filesystems and the
 * boot code's image headers all use them. */
#ifndef LIB_LE_H
#define LIB_LE_H

#include <stdint.h>

typedef struct {
	uint8_t b[2];
} le16;
typedef struct {
	uint8_t b[4];
} le32;
typedef struct {
	uint8_t b[8];
} le64;

static inline uint16_t get_le16(const le16 *p)
{
	return (uint16_t)(p->b[0] | (p->b[1] << 8));
}

static inline uint32_t get_le32(const le32 *p)
{
	return (uint32_t)p->b[0] | ((uint32_t)p->b[1] << 8) | ((uint32_t)p->b[2] << 16) |
	       ((uint32_t)p->b[3] << 24);
}

static inline uint64_t get_le64(const le64 *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | p->b[i];
	}
	return v;
}

static inline void put_le16(le16 *p, uint16_t v)
{
	p->b[0] = (uint8_t)v;
	p->b[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(le32 *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p->b[i] = (uint8_t)(v >> (8 * i));
	}
}

static inline void put_le64(le64 *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p->b[i] = (uint8_t)(v >> (8 * i));
	}
}

#endif
