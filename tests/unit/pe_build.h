/* A small synthetic AArch64 PE32+ EFI application for the loader tests,
 * laid out as a linker would: headers in the first 0x400 bytes, .text,
 * .data (with a zero-filled tail) and .reloc, 4 KiB section alignment.
 * Tests break one field at a time with the pe_build_* offsets below. */
#ifndef TESTS_PE_BUILD_H
#define TESTS_PE_BUILD_H

#include <efi/pe.h>
#include <stdint.h>
#include <string.h>

#define PB_BASE 0x10000000ULL /* ImageBase */
#define PB_NT 0x80 /* e_lfanew */
#define PB_COFF (PB_NT + 4)
#define PB_OPT (PB_COFF + 20)
#define PB_DIRS (PB_OPT + 112)
#define PB_SECT (PB_DIRS + 16 * 8) /* section table */
#define PB_HDRS 0x400 /* SizeOfHeaders */
#define PB_IMAGE 0x5000 /* SizeOfImage */
#define PB_ENTRY 0x1010
#define PB_FILE 0xa00 /* file size: .reloc raw data padded to FileAlignment */
#define PB_NEEDED 0x818 /* the last byte the image uses, + 1 */
#define PB_PTR_TEXT 0x1008 /* RVAs of the two 64-bit pointers relocated */
#define PB_PTR_DATA 0x2010
#define PB_PTR_VALUE (PB_BASE + 0x1234) /* what they hold before relocation */

/* Section i's header, field at @field_off (pe_section_header offsets). */
#define PB_SEC(i, field_off) (PB_SECT + 40 * (i) + (field_off))

static inline void pb_put16(uint8_t *f, uint32_t off, uint16_t v)
{
	put_le16((le16 *)(f + off), v);
}

static inline void pb_put32(uint8_t *f, uint32_t off, uint32_t v)
{
	put_le32((le32 *)(f + off), v);
}

static inline void pb_put64(uint8_t *f, uint32_t off, uint64_t v)
{
	put_le64((le64 *)(f + off), v);
}

static inline void pb_section(uint8_t *f, int i, const char *name, uint32_t va, uint32_t vsize,
			      uint32_t raw, uint32_t raw_size)
{
	memcpy(f + PB_SEC(i, 0), name, strlen(name));
	pb_put32(f, PB_SEC(i, 8), vsize);
	pb_put32(f, PB_SEC(i, 12), va);
	pb_put32(f, PB_SEC(i, 16), raw_size);
	pb_put32(f, PB_SEC(i, 20), raw);
	pb_put32(f, PB_SEC(i, 36), 0x60000020);
}

/* Fills @f (PB_FILE bytes) with the image; returns its size. */
static inline size_t pe_build(uint8_t *f)
{
	memset(f, 0, PB_FILE);
	f[0] = 'M';
	f[1] = 'Z';
	pb_put32(f, 0x3c, PB_NT);
	memcpy(f + PB_NT, "PE\0\0", 4);
	pb_put16(f, PB_COFF + 0, PE_MACHINE_ARM64);
	pb_put16(f, PB_COFF + 2, 3);
	pb_put16(f, PB_COFF + 16, 112 + 16 * 8);
	pb_put16(f, PB_COFF + 18, PE_FILE_EXECUTABLE_IMAGE);
	pb_put16(f, PB_OPT + 0, PE_OPT_MAGIC_PE32PLUS);
	pb_put32(f, PB_OPT + 16, PB_ENTRY);
	pb_put64(f, PB_OPT + 24, PB_BASE);
	pb_put32(f, PB_OPT + 32, 0x1000);
	pb_put32(f, PB_OPT + 36, 0x200);
	pb_put32(f, PB_OPT + 56, PB_IMAGE);
	pb_put32(f, PB_OPT + 60, PB_HDRS);
	pb_put16(f, PB_OPT + 68, PE_SUBSYSTEM_EFI_APPLICATION);
	pb_put32(f, PB_OPT + 108, 16);
	pb_put32(f, PB_DIRS + 8 * PE_DIR_BASERELOC, 0x4000);
	pb_put32(f, PB_DIRS + 8 * PE_DIR_BASERELOC + 4, 24);
	/* .text: 0x200 bytes of code; .data: 0x200 in the file, 0x1800 in memory. */
	pb_section(f, 0, ".text", 0x1000, 0x200, 0x400, 0x200);
	pb_section(f, 1, ".data", 0x2000, 0x1800, 0x600, 0x200);
	pb_section(f, 2, ".reloc", 0x4000, 24, 0x800, 0x200);
	memset(f + 0x400, 0xc1, 0x200);
	memset(f + 0x600, 0xd2, 0x200);
	pb_put64(f, 0x400 + 8, PB_PTR_VALUE);
	pb_put64(f, 0x600 + 0x10, PB_PTR_VALUE);
	/* Two blocks: page 0x1000 (one DIR64 + one ABSOLUTE pad), page 0x2000. */
	pb_put32(f, 0x800, 0x1000);
	pb_put32(f, 0x804, 12);
	pb_put16(f, 0x808, (PE_REL_BASED_DIR64 << 12) | 0x008);
	pb_put16(f, 0x80a, PE_REL_BASED_ABSOLUTE << 12);
	pb_put32(f, 0x80c, 0x2000);
	pb_put32(f, 0x810, 12);
	pb_put16(f, 0x814, (PE_REL_BASED_DIR64 << 12) | 0x010);
	pb_put16(f, 0x816, 0);
	return PB_FILE;
}

#endif
