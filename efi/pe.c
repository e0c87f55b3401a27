/*
 * PE/COFF loader for UEFI images (PE/COFF specification; UEFI spec 2.10
 * §2.1.1: PE32+ with subsystem 10, 11 or 12). pe_parse() checks the
 * untrusted file once, in the order a reader meets the headers; pe_load()
 * copies it into place and applies its base relocations, checking each
 * read again so it never trusts more than pe_parse() proved.
 */
#include <efi/pe.h>
#include <lib/errno.h>
#include <string.h>

/* The signature and the COFF header, read together. */
struct pe_nt_head {
	le32 signature;
	struct pe_coff_header coff;
};
static_assert(sizeof(struct pe_nt_head) == 24, "signature + COFF header");

/* One section as pe_load() uses it. */
struct pe_span {
	uint32_t va, size; /* virtual range in the image */
	uint32_t raw, copy; /* file offset and bytes taken from the file */
};

static int read_at(const void *file, size_t len, uint64_t off, void *dst, size_t n)
{
	if (off > len || n > len - off) {
		return -ENODATA;
	}
	memcpy(dst, (const uint8_t *)file + off, n);
	return 0;
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Section @i, its ranges checked against the file and the image. Sections
 * live in memory after the headers, never on them. */
static int section_get(const void *file, size_t len, const struct pe_info *pi, unsigned int i,
		       struct pe_span *s)
{
	struct pe_section_header sh;
	uint64_t off = pi->section_table + (uint64_t)i * sizeof(sh);

	if (read_at(file, len, off, &sh, sizeof(sh))) {
		return -ENODATA;
	}
	s->va = get_le32(&sh.virtual_address);
	s->size = get_le32(&sh.virtual_size);
	s->raw = get_le32(&sh.raw_offset);
	/* SizeOfRawData is rounded up to FileAlignment and may pass
	 * VirtualSize; only VirtualSize bytes belong to the image. Some
	 * linkers leave VirtualSize 0 for a section of file data. */
	uint32_t raw_size = get_le32(&sh.raw_size);
	if (s->size == 0) {
		s->size = raw_size;
	}
	s->copy = MIN(raw_size, s->size);
	if (s->size == 0) {
		return 0;
	}
	if (s->va < pi->headers_size || (uint64_t)s->va + s->size > pi->image_size) {
		return -EINVAL;
	}
	if (s->copy && ((uint64_t)s->raw + s->copy > len)) {
		return -EINVAL;
	}
	return 0;
}

/* Every section in range, none over another, the entry point in one. */
static int check_sections(const void *file, size_t len, const struct pe_info *pi)
{
	struct pe_span s, t;
	bool has_entry = false;

	for (unsigned int i = 0; i < pi->section_count; i++) {
		int rc = section_get(file, len, pi, i, &s);
		if (rc) {
			return rc;
		}
		if (s.size == 0) {
			continue;
		}
		/* At most 96 sections: the pairwise check stays small. */
		for (unsigned int j = 0; j < i; j++) {
			if (section_get(file, len, pi, j, &t)) {
				return -EINVAL;
			}
			if (t.size && s.va < t.va + t.size && t.va < s.va + s.size) {
				return -EINVAL;
			}
		}
		if (pi->entry >= s.va && pi->entry - s.va < s.size) {
			has_entry = true;
		}
	}
	return has_entry ? 0 : -EINVAL;
}

/* The optional header's sizes and alignments (@opt_size: SizeOfOptionalHeader). */
static int check_opt(const struct pe_opt_header *opt, uint32_t opt_size, struct pe_info *pi)
{
	uint32_t file_align = get_le32(&opt->file_align);
	uint32_t dir_count = get_le32(&opt->dir_count);

	if (get_le16(&opt->magic) != PE_OPT_MAGIC_PE32PLUS) {
		return -ENOEXEC;
	}
	pi->subsystem = get_le16(&opt->subsystem);
	if (pi->subsystem < PE_SUBSYSTEM_EFI_APPLICATION ||
	    pi->subsystem > PE_SUBSYSTEM_EFI_RUNTIME_DRIVER) {
		return -ENOEXEC;
	}
	if (dir_count > PE_DIR_MAX || opt_size < sizeof(*opt) + dir_count * 8 ||
	    opt_size > sizeof(*opt) + PE_DIR_MAX * 8) {
		return -EINVAL;
	}
	pi->image_base = get_le64(&opt->image_base);
	pi->image_size = get_le32(&opt->image_size);
	pi->headers_size = get_le32(&opt->headers_size);
	pi->section_align = get_le32(&opt->section_align);
	pi->entry = get_le32(&opt->entry_point);
	if (pi->image_size == 0 || pi->image_size > PE_MAX_IMAGE_SIZE ||
	    pi->headers_size > pi->image_size) {
		return -EINVAL;
	}
	if (!is_pow2(pi->section_align) || pi->section_align > PE_MAX_SECTION_ALIGN ||
	    !is_pow2(file_align) || file_align > pi->section_align) {
		return -EINVAL;
	}
	return 0;
}

/* The base relocation directory, if the image has one, inside the image. */
static int check_reloc_dir(const void *file, size_t len, uint64_t opt_off, uint32_t dir_count,
			   struct pe_info *pi)
{
	struct pe_data_dir d;

	pi->reloc_rva = pi->reloc_size = 0;
	if (dir_count <= PE_DIR_BASERELOC) {
		return 0;
	}
	uint64_t off = opt_off + sizeof(struct pe_opt_header) + PE_DIR_BASERELOC * sizeof(d);
	if (read_at(file, len, off, &d, sizeof(d))) {
		return -ENODATA;
	}
	pi->reloc_rva = get_le32(&d.rva);
	pi->reloc_size = get_le32(&d.size);
	if (pi->reloc_size == 0) {
		pi->reloc_rva = 0;
		return 0;
	}
	if ((uint64_t)pi->reloc_rva + pi->reloc_size > pi->image_size) {
		return -EINVAL;
	}
	return 0;
}

int pe_parse(const void *file, size_t len, struct pe_info *out)
{
	struct pe_dos_header dos;
	struct pe_nt_head nt;
	struct pe_opt_header opt;
	struct pe_info pi = {0};
	int rc;

	if (read_at(file, len, 0, &dos, sizeof(dos))) {
		return -ENODATA;
	}
	if (get_le16(&dos.e_magic) != PE_DOS_MAGIC) {
		return -ENOEXEC;
	}
	uint64_t nt_off = get_le32(&dos.e_lfanew);
	if (read_at(file, len, nt_off, &nt, sizeof(nt))) {
		return -ENODATA;
	}
	if (get_le32(&nt.signature) != PE_SIGNATURE ||
	    get_le16(&nt.coff.machine) != PE_MACHINE_ARM64) {
		return -ENOEXEC;
	}
	uint32_t opt_size = get_le16(&nt.coff.opt_header_size);
	uint64_t opt_off = nt_off + sizeof(nt);
	if (opt_size < sizeof(opt)) {
		return -ENOEXEC; /* too small for PE32+: not an image */
	}
	if (read_at(file, len, opt_off, &opt, sizeof(opt))) {
		return -ENODATA;
	}
	rc = check_opt(&opt, opt_size, &pi);
	if (rc) {
		return rc;
	}
	pi.characteristics = get_le16(&nt.coff.characteristics);
	pi.section_count = get_le16(&nt.coff.section_count);
	uint64_t table_end = opt_off + opt_size + (uint64_t)pi.section_count * 40;
	if (pi.section_count > PE_MAX_SECTIONS) {
		return -EINVAL;
	}
	if (table_end > len) {
		return -ENODATA;
	}
	/* The headers hold the section table and are all in the file. */
	if (pi.headers_size < table_end || pi.headers_size > len) {
		return -EINVAL;
	}
	pi.section_table = (uint32_t)(opt_off + opt_size); /* < headers_size: fits */
	rc = check_reloc_dir(file, len, opt_off, get_le32(&opt.dir_count), &pi);
	if (!rc) {
		rc = check_sections(file, len, &pi);
	}
	if (!rc) {
		*out = pi;
	}
	return rc;
}

/* Applies one relocation block at @pos (its size already bounded by the
 * directory). A DIR64 that would rewrite the relocation table itself is
 * refused: the walk would then depend on the load address. */
static int reloc_block(uint8_t *img, const struct pe_info *pi, uint32_t page, uint32_t pos,
		       uint32_t size, uint64_t delta)
{
	for (uint32_t e = pos + sizeof(struct pe_reloc_block); e + 2 <= pos + size; e += 2) {
		uint16_t v = (uint16_t)(img[e] | img[e + 1] << 8);
		uint64_t at = (uint64_t)page + (v & 0xfff);
		le64 word;

		switch (v >> 12) {
		case PE_REL_BASED_ABSOLUTE:
			break; /* padding that keeps blocks 32-bit aligned */
		case PE_REL_BASED_DIR64:
			if (at + 8 > pi->image_size ||
			    (at + 8 > pi->reloc_rva && at < pi->reloc_rva + pi->reloc_size)) {
				return -ENOEXEC;
			}
			memcpy(&word, img + at, 8);
			put_le64(&word, get_le64(&word) + delta);
			memcpy(img + at, &word, 8);
			break;
		default:
			return -ENOEXEC; /* nothing else is valid on AArch64 */
		}
	}
	return 0;
}

/* Walks the base relocation blocks in the loaded image. They are checked
 * even when @delta is 0, so a bad table fails wherever it is loaded. */
static int relocate(uint8_t *img, const struct pe_info *pi, uint64_t delta)
{
	uint32_t pos = pi->reloc_rva, end = pi->reloc_rva + pi->reloc_size;

	if (pi->reloc_size == 0) {
		/* Without relocations the image runs only where it was linked,
		 * unless it does not say so (the Linux stub is position-independent). */
		return delta && (pi->characteristics & PE_FILE_RELOCS_STRIPPED) ? -ENOEXEC : 0;
	}
	while (pos < end) {
		struct pe_reloc_block b;

		if (end - pos < sizeof(b)) {
			return -ENOEXEC;
		}
		memcpy(&b, img + pos, sizeof(b));
		uint32_t page = get_le32(&b.page_rva), size = get_le32(&b.block_size);
		if (size < sizeof(b) || size > end - pos || (size & 1) || page >= pi->image_size) {
			return -ENOEXEC;
		}
		int rc = reloc_block(img, pi, page, pos, size, delta);
		if (rc) {
			return rc;
		}
		pos += size;
	}
	return 0;
}

int pe_load(const void *file, size_t len, const struct pe_info *pi, void *dest, uint64_t dest_addr)
{
	uint8_t *img = dest;
	struct pe_span s;

	if (!IS_ALIGNED(dest_addr, (uint64_t)pi->section_align) || pi->headers_size > len ||
	    pi->headers_size > pi->image_size) {
		return -EINVAL;
	}
	memset(img, 0, pi->image_size);
	memcpy(img, file, pi->headers_size);
	for (unsigned int i = 0; i < pi->section_count; i++) {
		if (section_get(file, len, pi, i, &s)) {
			return -ENOEXEC;
		}
		if (s.copy) {
			memcpy(img + s.va, (const uint8_t *)file + s.raw, s.copy);
		}
	}
	return relocate(img, pi, dest_addr - pi->image_base);
}
