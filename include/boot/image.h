/* The arm64 Linux Image: its 64-byte header and where the kernel and its
 * initrd may go (Linux Documentation/arch/arm64/booting.rst, xen-abi.md §13).
 * The placement functions are pure arithmetic over a RAM layout, so tests
 * drive them with made-up banks and busy regions. */
#ifndef BOOT_IMAGE_H
#define BOOT_IMAGE_H

#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <lib/le.h>
#include <stdbool.h>
#include <stdint.h>

#define IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */
#define IMAGE_HEADER_SIZE 64
#define IMAGE_BASE_ALIGN 0x200000ULL /* the 2 MiB the base must be aligned to */
#define IMAGE_OLD_TEXT_OFFSET 0x80000ULL /* image_size 0: pre-3.17 kernel */
#define IMAGE_OLD_SIZE 0x1000000ULL /* what such a kernel is assumed to need, as U-Boot does */
#define IMAGE_MAX_TEXT_OFFSET 0x1000000ULL /* randomized offsets stay below 16 MiB */
#define IMAGE_WINDOW_ALIGN 0x40000000ULL /* kernel and initrd: one 1 GiB-aligned ... */
#define IMAGE_WINDOW_SIZE 0x800000000ULL /* ... 32 GiB window */

#define IMAGE_FLAG_BE (1u << 0)
#define IMAGE_FLAG_ANYWHERE (1u << 3)

struct image_header {
	le32 code0, code1;
	le64 text_offset;
	le64 image_size;
	le64 flags;
	le64 res2, res3, res4;
	le32 magic;
	le32 res5; /* PE/COFF header offset (EFI stub) */
};
static_assert(sizeof(struct image_header) == IMAGE_HEADER_SIZE, "Image header size");
static_assert(offsetof(struct image_header, text_offset) == 8, "text_offset");
static_assert(offsetof(struct image_header, flags) == 24, "flags");
static_assert(offsetof(struct image_header, magic) == 0x38, "magic");

/* What placement needs from a validated header. */
struct image_info {
	uint64_t text_offset; /* from the 2 MiB-aligned base to the load address */
	uint64_t size; /* bytes from the load address (image_size, never 0) */
	bool is_anywhere; /* flags bit 3: any 2 MiB-aligned base in RAM */
};

/**
 * image_parse() - validate the header in the first @len bytes of @buf
 * (untrusted). Returns 0, -ENODATA (@len < 64), -ENOEXEC (no "ARM\x64"
 * magic: not an arm64 Image), -EINVAL (big-endian kernel, a text_offset
 * that is not 4 KiB-aligned or not below 16 MiB, an image_size smaller
 * than the header).
 */
int __must_check image_parse(const void *buf, size_t len, struct image_info *out);

#define LAYOUT_MAX_BUSY 48

/* RAM and what must not be overwritten, in guest-physical addresses. */
struct boot_layout {
	struct mem_range banks[DTINFO_MAX_BANKS];
	unsigned int bank_count;
	struct mem_range busy[LAYOUT_MAX_BUSY];
	unsigned int busy_count;
};

/** layout_add_busy() - mark [base, base+size) as taken. Returns 0, -EINVAL, -ENOSPC. */
int __must_check layout_add_busy(struct boot_layout *l, uint64_t base, uint64_t size);

/** layout_is_free() - [base, base+size) lies in one bank and over no busy region. */
bool layout_is_free(const struct boot_layout *l, uint64_t base, uint64_t size);

/**
 * layout_find() - the lowest address a = b + @offset, b a multiple of
 * @align (a power of two), with [a, a+@size) free and inside [@lo, @hi).
 * Returns 0 and *@out, or -ENOSPC.
 */
int __must_check layout_find(const struct boot_layout *l, uint64_t lo, uint64_t hi, uint64_t align,
			     uint64_t offset, uint64_t size, uint64_t *out);

/**
 * image_place_kernel() - where the kernel described by @im goes.
 * @current: where its bytes are now (a plain Image), or IMAGE_NOWHERE when it
 * must be written somewhere new (inflated); [current, +size) must not be in
 * @l's busy list, every other thing (xenboot, DTB, initrd, a gzip source) must.
 * A kernel that may be placed anywhere stays at @current if that is valid;
 * otherwise, and always for a kernel without flags bit 3 (booting.rst: as
 * close as possible to the start of RAM), the lowest valid address wins;
 * for the latter the text_offset bytes below the load address are kept
 * free too.
 * Returns 0 and *@load (the load address: base + text_offset), or -ENOSPC.
 */
int __must_check image_place_kernel(const struct boot_layout *l, const struct image_info *im,
				    uint64_t current, uint64_t *load);

#define IMAGE_NOWHERE UINT64_MAX

/** image_in_window() - [a, a+a_len) and [b, b+b_len) share a 1 GiB-aligned 32 GiB window. */
bool image_in_window(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len);

/**
 * image_place_after() - where @size bytes go that belong with the kernel at
 * [@kernel, +@kernel_size) (the initrd, the DTB): @current if that is free,
 * outside the kernel and in its window; else the lowest free place above the
 * kernel in its window; else, if @below_ok, below the kernel in the window.
 * @align: power of two for a new place. The kernel must be in @l's busy list.
 * Returns 0 and *@out, or -ENOSPC.
 */
int __must_check image_place_after(const struct boot_layout *l, uint64_t kernel,
				   uint64_t kernel_size, bool below_ok, uint64_t current,
				   uint64_t size, uint64_t align, uint64_t *out);

#endif
