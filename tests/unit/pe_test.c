/* efi/pe.c: the PE/COFF loader on a synthetic AArch64 EFI application
 * (pe_build.h) and on variants broken one field at a time: truncated files,
 * other machines, overlapping sections, absurd sizes and alignments,
 * relocation blocks out of range or of unknown types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <efi/pe.h>
#include <lib/errno.h>

#include "pe_build.h"

#define LOAD_ADDR 0x48230000ULL /* 64 KiB-aligned, not the ImageBase */

static uint8_t file[PB_FILE];
static uint8_t image[PB_IMAGE];

static int parse(void)
{
	struct pe_info pi;

	return pe_parse(file, sizeof(file), &pi);
}

/* Parses and loads @file at @addr into image[]. */
static int parse_load(uint64_t addr)
{
	struct pe_info pi;
	int rc = pe_parse(file, sizeof(file), &pi);

	if (rc) {
		return rc;
	}
	memset(image, 0xaa, sizeof(image));
	return pe_load(file, sizeof(file), &pi, image, addr);
}

static uint64_t image_u64(uint32_t rva)
{
	return get_le64((const le64 *)(image + rva));
}

static void test_parse_good(void **state)
{
	struct pe_info pi;

	pe_build(file);
	assert_int_equal(pe_parse(file, sizeof(file), &pi), 0);
	assert_int_equal(pi.image_base, PB_BASE);
	assert_int_equal(pi.image_size, PB_IMAGE);
	assert_int_equal(pi.headers_size, PB_HDRS);
	assert_int_equal(pi.section_align, 0x1000);
	assert_int_equal(pi.entry, PB_ENTRY);
	assert_int_equal(pi.section_table, PB_SECT);
	assert_int_equal(pi.section_count, 3);
	assert_int_equal(pi.subsystem, PE_SUBSYSTEM_EFI_APPLICATION);
	assert_int_equal(pi.reloc_rva, 0x4000);
	assert_int_equal(pi.reloc_size, 24);
	/* Drivers are images too. */
	pb_put16(file, PB_OPT + 68, PE_SUBSYSTEM_EFI_RUNTIME_DRIVER);
	assert_int_equal(pe_parse(file, sizeof(file), &pi), 0);
	assert_int_equal(pi.subsystem, PE_SUBSYSTEM_EFI_RUNTIME_DRIVER);
}

static void test_load_relocates(void **state)
{
	pe_build(file);
	assert_int_equal(parse_load(LOAD_ADDR), 0);
	/* Headers and section bytes copied, the bss tail and the gaps zeroed. */
	assert_memory_equal(image, file, PB_HDRS);
	assert_int_equal(image[PB_HDRS], 0);
	assert_int_equal(image[0x1000], 0xc1);
	assert_int_equal(image[0x11ff], 0xc1);
	assert_int_equal(image[0x1200], 0);
	assert_int_equal(image[0x2000], 0xd2);
	assert_int_equal(image[0x2200], 0);
	assert_int_equal(image[0x37ff], 0);
	assert_int_equal(image[PB_IMAGE - 1], 0);
	/* Both DIR64 targets moved by the load delta; the ABSOLUTE pad did nothing. */
	assert_int_equal(image_u64(PB_PTR_TEXT), PB_PTR_VALUE - PB_BASE + LOAD_ADDR);
	assert_int_equal(image_u64(PB_PTR_DATA), PB_PTR_VALUE - PB_BASE + LOAD_ADDR);
	assert_int_equal(image[0x1000], 0xc1);

	/* At its ImageBase nothing moves. */
	assert_int_equal(parse_load(PB_BASE), 0);
	assert_int_equal(image_u64(PB_PTR_TEXT), PB_PTR_VALUE);
	/* Below its ImageBase: the delta wraps, as two's complement must. */
	assert_int_equal(parse_load(0x40000000), 0);
	assert_int_equal(image_u64(PB_PTR_DATA), PB_PTR_VALUE - PB_BASE + 0x40000000);
	/* Not aligned to SectionAlignment. */
	assert_int_equal(parse_load(LOAD_ADDR + 0x800), -EINVAL);
}

static void test_truncated(void **state)
{
	struct pe_info pi;

	pe_build(file);
	for (size_t cut = 0; cut < PB_NEEDED; cut++) {
		int rc = pe_parse(file, cut, &pi);
		if (rc != -ENODATA && rc != -EINVAL) {
			fail_msg("cut at %zu: %d", cut, rc);
		}
	}
	/* SizeOfRawData past the end is fine while VirtualSize bytes are there. */
	assert_int_equal(pe_parse(file, PB_NEEDED, &pi), 0);
	assert_int_equal(pe_parse(file, 0x3f, &pi), -ENODATA);
	/* e_lfanew past the end of the file. */
	pb_put32(file, 0x3c, 0xfffffff0);
	assert_int_equal(parse(), -ENODATA);
}

static void test_not_ours(void **state)
{
	pe_build(file);
	file[1] = 'Y';
	assert_int_equal(parse(), -ENOEXEC);
	pe_build(file);
	file[PB_NT + 1] = 'X';
	assert_int_equal(parse(), -ENOEXEC);
	pe_build(file);
	pb_put16(file, PB_COFF, 0x8664); /* x86-64 */
	assert_int_equal(parse(), -ENOEXEC);
	pe_build(file);
	pb_put16(file, PB_OPT, 0x10b); /* PE32 */
	assert_int_equal(parse(), -ENOEXEC);
	pe_build(file);
	pb_put16(file, PB_OPT + 68, 3); /* a Windows console program */
	assert_int_equal(parse(), -ENOEXEC);
	pe_build(file);
	pb_put16(file, PB_OPT + 68, 13); /* EFI ROM */
	assert_int_equal(parse(), -ENOEXEC);
	pe_build(file);
	pb_put16(file, PB_COFF + 16, 111); /* no room for PE32+ */
	assert_int_equal(parse(), -ENOEXEC);
}

static void test_absurd_sizes(void **state)
{
	static const struct {
		uint32_t off, value;
		int width;
	} cases[] = {
	    {PB_OPT + 56, 0, 4}, /* SizeOfImage 0 */
	    {PB_OPT + 56, 0xffffffff, 4},
	    {PB_OPT + 56, PE_MAX_IMAGE_SIZE + 0x1000, 4},
	    {PB_OPT + 56, 0x300, 4}, /* smaller than the headers */
	    {PB_OPT + 60, 0x100, 4}, /* SizeOfHeaders short of the section table */
	    {PB_OPT + 60, 0x1000, 4}, /* ... longer than the file */
	    {PB_OPT + 32, 0x1800, 4}, /* SectionAlignment not a power of two */
	    {PB_OPT + 32, 0x20000, 4}, /* above 64 KiB */
	    {PB_OPT + 32, 0x100, 4}, /* below FileAlignment */
	    {PB_OPT + 36, 0, 4}, /* FileAlignment 0 */
	    {PB_OPT + 108, 17, 4}, /* NumberOfRvaAndSizes */
	    {PB_OPT + 108, 0xffffffff, 4},
	    {PB_COFF + 16, 112 + 17 * 8, 2}, /* SizeOfOptionalHeader */
	    {PB_COFF + 16, 0xffff, 2},
	    {PB_COFF + 2, 97, 2}, /* NumberOfSections */
	    {PB_COFF + 2, 0, 2}, /* no section holds the entry */
	    {PB_OPT + 16, 0x3900, 4}, /* entry in no section (between .data and .reloc) */
	    {PB_OPT + 16, 0xfffffff0, 4},
	    {PB_DIRS + 40, 0x4ff0, 4}, /* relocation directory past the image */
	    {PB_DIRS + 44, 0xfffffff0, 4},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		pe_build(file);
		if (cases[i].width == 2) {
			pb_put16(file, cases[i].off, (uint16_t)cases[i].value);
		} else {
			pb_put32(file, cases[i].off, cases[i].value);
		}
		int rc = parse();
		if (rc != -EINVAL && rc != -ENODATA) {
			fail_msg("case %zu: %d", i, rc);
		}
	}
	/* A 64 KiB SectionAlignment (Linux's Image) is accepted and reported. */
	struct pe_info pi;
	pe_build(file);
	pb_put32(file, PB_OPT + 32, 0x10000);
	assert_int_equal(pe_parse(file, sizeof(file), &pi), 0);
	assert_int_equal(pi.section_align, 0x10000);
}

static void test_bad_sections(void **state)
{
	pe_build(file);
	pb_put32(file, PB_SEC(1, 12), 0x1100); /* .data over .text */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(2, 12), 0x1000); /* .reloc at .text's start */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(1, 8),
		 0x10000); /* .data's VirtualSize covers .reloc, past the image */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(1, 8), 0x2800); /* ... inside the image, over .reloc */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(0, 12), 0x200); /* .text over the headers */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(1, 12), 0xfffff000); /* RVA + size wraps 32 bits */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(1, 20), 0x900); /* raw data past the file */
	assert_int_equal(parse(), -EINVAL);
	pe_build(file);
	pb_put32(file, PB_SEC(1, 20), 0xfffffe00);
	assert_int_equal(parse(), -EINVAL);
	/* An empty section (no virtual, no raw bytes) is ignored wherever it claims to be. */
	pe_build(file);
	pb_put32(file, PB_SEC(2, 8), 0);
	pb_put32(file, PB_SEC(2, 16), 0);
	pb_put32(file, PB_SEC(2, 12), 0x1000);
	pb_put32(file, PB_DIRS + 44, 0);
	assert_int_equal(parse(), 0);
}

static void test_bad_relocs(void **state)
{
	static const struct {
		uint32_t off, value;
		int width;
	} cases[] = {
	    {0x804, 0, 4}, /* block size 0: would never advance */
	    {0x804, 4, 4}, /* smaller than its header */
	    {0x804, 13, 4}, /* odd */
	    {0x804, 28, 4}, /* past the directory */
	    {0x800, PB_IMAGE, 4}, /* page outside the image */
	    {0x808, (PE_REL_BASED_DIR64 << 12) | 0xff9, 2}, /* 8 bytes over page 0x4000's end */
	    {0x80c, 0x4ff0, 4}, /* page + offset: last word crosses the end */
	    {0x808, (3 << 12) | 8, 2}, /* HIGHLOW: not for AArch64 */
	    {0x80a, (5 << 12), 2}, /* ARM_MOV32 */
	    {0x800, 0x4000, 4}, /* DIR64 at 0x4008: into the relocation table */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		pe_build(file);
		if (cases[i].width == 2) {
			pb_put16(file, cases[i].off, (uint16_t)cases[i].value);
		} else {
			pb_put32(file, cases[i].off, cases[i].value);
		}
		if (i == 5) {
			pb_put32(file, 0x800, 0x4000); /* DIR64 at 0x4ff9..0x5001 */
		}
		if (i == 6) {
			pb_put16(file, 0x814, (PE_REL_BASED_DIR64 << 12) | 0xc);
		}
		int rc = parse_load(LOAD_ADDR);
		if (rc != -ENOEXEC) {
			fail_msg("case %zu: %d", i, rc);
		}
	}
	/* The directory's size cuts a block header. */
	pe_build(file);
	pb_put32(file, PB_DIRS + 44, 28);
	pb_put32(file, PB_SEC(2, 8), 28);
	assert_int_equal(parse_load(LOAD_ADDR), -ENOEXEC);
	/* A bad table fails at the ImageBase too, where it changes nothing. */
	pe_build(file);
	pb_put16(file, 0x808, (4 << 12) | 8);
	assert_int_equal(parse_load(PB_BASE), -ENOEXEC);
}

static void test_no_relocs(void **state)
{
	/* Position-independent (Linux's stub): no directory, loads anywhere. */
	pe_build(file);
	pb_put32(file, PB_DIRS + 40, 0);
	pb_put32(file, PB_DIRS + 44, 0);
	assert_int_equal(parse_load(LOAD_ADDR), 0);
	assert_int_equal(image_u64(PB_PTR_TEXT), PB_PTR_VALUE);
	/* Fewer directories than the relocation one. */
	pe_build(file);
	pb_put32(file, PB_OPT + 108, 5);
	assert_int_equal(parse_load(LOAD_ADDR), 0);
	/* Relocations stripped: only at its ImageBase. */
	pb_put16(file, PB_COFF + 18, PE_FILE_EXECUTABLE_IMAGE | PE_FILE_RELOCS_STRIPPED);
	assert_int_equal(parse_load(LOAD_ADDR), -ENOEXEC);
	assert_int_equal(parse_load(PB_BASE), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),	 cmocka_unit_test(test_load_relocates),
	    cmocka_unit_test(test_truncated),	 cmocka_unit_test(test_not_ours),
	    cmocka_unit_test(test_absurd_sizes), cmocka_unit_test(test_bad_sections),
	    cmocka_unit_test(test_bad_relocs),	 cmocka_unit_test(test_no_relocs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
