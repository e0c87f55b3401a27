/* PE/COFF images as UEFI loads them (Microsoft PE/COFF specification:
 * MS-DOS stub, "PE\0\0", the COFF file header, the PE32+ optional header,
 * the section table and the base relocation blocks). Our own definitions,
 * little-endian field types read through get_le*() (STYLE A3). The file
 * is untrusted: pe_parse() checks every field pe_load() relies on. */
#ifndef EFI_PE_H
#define EFI_PE_H

#include <lib/compiler.h>
#include <lib/le.h>
#include <stdbool.h>
#include <stdint.h>

#define PE_DOS_MAGIC 0x5a4du /* "MZ" */
#define PE_SIGNATURE 0x00004550u /* "PE\0\0" */
#define PE_MACHINE_ARM64 0xaa64u
#define PE_OPT_MAGIC_PE32PLUS 0x20bu

/* COFF Characteristics */
#define PE_FILE_RELOCS_STRIPPED 0x0001u
#define PE_FILE_EXECUTABLE_IMAGE 0x0002u

/* Optional header Subsystem values UEFI defines */
#define PE_SUBSYSTEM_EFI_APPLICATION 10
#define PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER 11
#define PE_SUBSYSTEM_EFI_RUNTIME_DRIVER 12

/* Data directory indices */
#define PE_DIR_BASERELOC 5
#define PE_DIR_MAX 16

/* Base relocation entry types (top 4 bits of each 16-bit entry) */
#define PE_REL_BASED_ABSOLUTE 0
#define PE_REL_BASED_DIR64 10

/* Our limits: far above any bootloader or kernel, far below what would
 * let arithmetic on them overflow 32 bits. */
#define PE_MAX_SECTIONS 96
#define PE_MAX_IMAGE_SIZE (256u << 20)
#define PE_MAX_SECTION_ALIGN 0x10000u

/* The MS-DOS header: only the two fields a PE loader reads. */
struct pe_dos_header {
	le16 e_magic;
	uint8_t pad[0x3a];
	le32 e_lfanew; /* file offset of the PE signature */
};
static_assert(sizeof(struct pe_dos_header) == 0x40, "MS-DOS header size");
static_assert(offsetof(struct pe_dos_header, e_lfanew) == 0x3c, "e_lfanew");

/* The COFF file header, right after the signature. */
struct pe_coff_header {
	le16 machine;
	le16 section_count;
	le32 time_date_stamp;
	le32 symbol_table;
	le32 symbol_count;
	le16 opt_header_size;
	le16 characteristics;
};
static_assert(sizeof(struct pe_coff_header) == 20, "COFF header size");
static_assert(offsetof(struct pe_coff_header, opt_header_size) == 16, "SizeOfOptionalHeader");

struct pe_data_dir {
	le32 rva;
	le32 size;
};
static_assert(sizeof(struct pe_data_dir) == 8, "data directory size");

/* The PE32+ optional header up to and including NumberOfRvaAndSizes;
 * that many data directories follow it. */
struct pe_opt_header {
	le16 magic;
	uint8_t linker_major, linker_minor;
	le32 code_size;
	le32 init_data_size;
	le32 uninit_data_size;
	le32 entry_point; /* RVA */
	le32 code_base;
	le64 image_base;
	le32 section_align;
	le32 file_align;
	le16 os_major, os_minor;
	le16 image_major, image_minor;
	le16 subsystem_major, subsystem_minor;
	le32 win32_version;
	le32 image_size;
	le32 headers_size;
	le32 checksum;
	le16 subsystem;
	le16 dll_characteristics;
	le64 stack_reserve, stack_commit;
	le64 heap_reserve, heap_commit;
	le32 loader_flags;
	le32 dir_count; /* NumberOfRvaAndSizes */
};
static_assert(sizeof(struct pe_opt_header) == 112, "PE32+ optional header size");
static_assert(offsetof(struct pe_opt_header, entry_point) == 16, "AddressOfEntryPoint");
static_assert(offsetof(struct pe_opt_header, image_base) == 24, "ImageBase");
static_assert(offsetof(struct pe_opt_header, section_align) == 32, "SectionAlignment");
static_assert(offsetof(struct pe_opt_header, image_size) == 56, "SizeOfImage");
static_assert(offsetof(struct pe_opt_header, headers_size) == 60, "SizeOfHeaders");
static_assert(offsetof(struct pe_opt_header, subsystem) == 68, "Subsystem");
static_assert(offsetof(struct pe_opt_header, loader_flags) == 104, "LoaderFlags");
static_assert(offsetof(struct pe_opt_header, dir_count) == 108, "NumberOfRvaAndSizes");

struct pe_section_header {
	char name[8];
	le32 virtual_size;
	le32 virtual_address; /* RVA */
	le32 raw_size; /* SizeOfRawData */
	le32 raw_offset; /* PointerToRawData */
	le32 reloc_offset, line_offset;
	le16 reloc_count, line_count;
	le32 characteristics;
};
static_assert(sizeof(struct pe_section_header) == 40, "section header size");
static_assert(offsetof(struct pe_section_header, raw_offset) == 20, "PointerToRawData");
static_assert(offsetof(struct pe_section_header, characteristics) == 36, "Characteristics");

/* A base relocation block header; 16-bit entries follow up to block_size. */
struct pe_reloc_block {
	le32 page_rva;
	le32 block_size; /* including these 8 bytes */
};
static_assert(sizeof(struct pe_reloc_block) == 8, "relocation block header size");

/* What pe_parse() found; every range in it has been checked. */
struct pe_info {
	uint64_t image_base; /* the address the image was linked for */
	uint32_t image_size; /* SizeOfImage: bytes to allocate */
	uint32_t headers_size; /* SizeOfHeaders, <= image_size and the file */
	uint32_t section_align; /* the load address must be a multiple of it */
	uint32_t entry; /* RVA of the entry point, inside a section */
	uint32_t section_table; /* file offset of the section table */
	uint16_t section_count;
	uint16_t subsystem; /* PE_SUBSYSTEM_EFI_* */
	uint16_t characteristics;
	uint32_t reloc_rva, reloc_size; /* base relocation directory (size 0: none) */
};

/**
 * pe_parse() - validate the PE/COFF image in @file[0, @len) (untrusted) as
 * an AArch64 UEFI image and describe it in *@out.
 * Returns 0, -ENODATA (truncated before a header), -ENOEXEC (not PE32+,
 * another machine, a subsystem that is not UEFI's), -EINVAL (a size,
 * alignment, offset or range that is inconsistent or out of bounds).
 */
int __must_check pe_parse(const void *file, size_t len, struct pe_info *out);

/**
 * pe_load() - place the image @pi describes (from pe_parse() on the same
 * @file/@len) into @dest, pi->image_size bytes the caller owns, that will
 * run at guest address @dest_addr: headers and sections copied, the rest
 * zeroed, base relocations applied for @dest_addr. Every relocation block
 * is checked against the image. The caller then makes the caches coherent
 * (arch_dcache_flush(), I-cache) before jumping.
 * Returns 0, -EINVAL (@dest_addr not aligned), -ENOEXEC (a relocation
 * block or entry out of range, an unknown relocation type, a relocated
 * image whose relocations were stripped). On error @dest holds garbage.
 */
int __must_check pe_load(const void *file, size_t len, const struct pe_info *pi, void *dest,
			 uint64_t dest_addr);

#endif
