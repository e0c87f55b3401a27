/* mw[.b|.w|.l|.q] <addr> <value> [count]: fill memory with a value, as
 * U-Boot's mw (default .l: 32-bit; count in elements, default 1). Only free
 * RAM is written (fsload_check(): never xenboot, its heap, rings or the DT).
 * The bench poisons its buffer with it before every timed pass, so a pass
 * that moved nothing cannot pass the CRC check. */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

/* The element size named by the suffix of argv[0]; 0 if unknown. */
static unsigned int mw_size(const char *name)
{
	const char *dot = strchr(name, '.');

	if (!dot) {
		return 4;
	}
	if (dot[1] == '\0' || dot[2] != '\0') {
		return 0;
	}
	switch (dot[1]) {
	case 'b':
		return 1;
	case 'w':
		return 2;
	case 'l':
		return 4;
	case 'q':
		return 8;
	default:
		return 0;
	}
}

/* @value repeated to 64 bits; little-endian, so byte k of memory at an
 * element-aligned start is byte k % 8 of the result. */
static uint64_t mw_pattern(uint64_t value, unsigned int size)
{
	uint64_t pat = 0;

	if (size < 8) {
		value &= (1ULL << (size * 8)) - 1;
	}
	for (unsigned int shift = 0; shift < 64; shift += size * 8) {
		pat |= value << shift;
	}
	return pat;
}

static void mw_fill(uint8_t *p, uint64_t len, uint64_t pat)
{
	uint64_t i = 0;

	for (; i < len && ((uintptr_t)(p + i) & 7); i++) {
		p[i] = (uint8_t)(pat >> (8 * (i & 7)));
	}
	/* Aligned words: rotate so each word starts at the right byte. */
	unsigned int rot = (unsigned int)(8 * (i & 7));
	uint64_t word = rot ? (pat >> rot) | (pat << (64 - rot)) : pat;
	for (; i + 8 <= len; i += 8) {
		*(uint64_t *)(p + i) = word;
	}
	for (; i < len; i++) {
		p[i] = (uint8_t)(pat >> (8 * (i & 7)));
	}
}

static int do_mw(int argc, char *argv[])
{
	unsigned int size = mw_size(argv[0]);
	uint64_t addr, value, count = 1, len;
	int rc;

	if (size == 0 || argc < 3 || argc > 4 || cmd_parse_num(argv[1], &addr) ||
	    cmd_parse_num(argv[2], &value) || (argc == 4 && cmd_parse_num(argv[3], &count))) {
		return CMD_RET_USAGE;
	}
	if (addr % size) {
		xb_printf("mw: address must be %u-byte aligned\n", size);
		return -EINVAL;
	}
	if (__builtin_mul_overflow(count, (uint64_t)size, &len)) {
		return -EINVAL;
	}
	rc = fsload_check("mw", addr, len);
	if (rc || len == 0) {
		return rc;
	}
	mw_fill(arch_phys_to_virt(addr), len, mw_pattern(value, size));
	return 0;
}

const struct cmd cmd_mw = {
    .name = "mw",
    .usage = "<addr> <value> [count]",
    .help = "fill memory (mw.b/.w/.l/.q: 8/16/32/64-bit values, default .l; hex)",
    .run = do_mw,
    .has_size_suffix = true,
};
