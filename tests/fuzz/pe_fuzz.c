/* The PE/COFF loader on arbitrary bytes (STYLE U6): pe_parse() and, for an
 * image it accepts, pe_load() into a buffer of exactly SizeOfImage bytes
 * (ASan catches a byte written outside it) at two load addresses. Whatever
 * pe_parse() reports must be what pe_load() may rely on. */
#include <efi/pe.h>
#include <fuzz.h>
#include <stdlib.h>
#include <string.h>

/* Images above this are parsed but not loaded: each load zeroes the image. */
#define FUZZ_MAX_LOAD (8u << 20)

static void check_info(const struct pe_info *pi)
{
	fuzz_check(pi->image_size > 0 && pi->image_size <= PE_MAX_IMAGE_SIZE);
	fuzz_check(pi->headers_size <= pi->image_size);
	fuzz_check(pi->section_align && !(pi->section_align & (pi->section_align - 1)));
	fuzz_check(pi->section_align <= PE_MAX_SECTION_ALIGN);
	fuzz_check(pi->entry >= pi->headers_size && pi->entry < pi->image_size);
	fuzz_check((uint64_t)pi->reloc_rva + pi->reloc_size <= pi->image_size);
	fuzz_check(pi->subsystem >= PE_SUBSYSTEM_EFI_APPLICATION &&
		   pi->subsystem <= PE_SUBSYSTEM_EFI_RUNTIME_DRIVER);
	fuzz_check(pi->section_count <= PE_MAX_SECTIONS);
}

static void pe_fuzz(const uint8_t *data, size_t size)
{
	struct pe_info pi;

	if (pe_parse(data, size, &pi)) {
		return;
	}
	check_info(&pi);
	if (pi.image_size > FUZZ_MAX_LOAD) {
		return;
	}
	uint8_t *img = malloc(pi.image_size);
	fuzz_check(img != NULL);
	/* Somewhere 64 KiB-aligned (any SectionAlignment), and the ImageBase. */
	uint64_t addr = 0x40000000ULL + (uint64_t)(size & 0xff) * 0x10000;
	int rc = pe_load(data, size, &pi, img, addr);
	if (!rc) {
		/* What the loader copied first: the headers, unless relocated. */
		fuzz_check(pi.reloc_size || memcmp(img, data, pi.headers_size) == 0);
	}
	if (pi.image_base % pi.section_align == 0) {
		int rc_base = pe_load(data, size, &pi, img, pi.image_base);
		/* The table is checked wherever the image goes; only a stripped
		 * image may load at its base and nowhere else. */
		fuzz_check(rc_base == rc || (rc && !pi.reloc_size && rc_base == 0));
	}
	fuzz_check(pe_load(data, size, &pi, img, addr + 1) != 0 || pi.section_align == 1);
	free(img);
}

FUZZ_TARGET(pe_fuzz)
