/* The non-volatile UEFI variables in a file on the ESP.
 *
 * Format: EBBR's "File Format For Storing EFI Variables" (EBBR chapter 5;
 * U-Boot's ubootefi.var uses it), little-endian:
 *
 *   le64 reserved (0) | "UbEfiVa" | u8 revision (1) | le32 length | le32 crc32
 *   entries (include/efi/varstore.h), each NUL-padded to 8 bytes
 *
 * length counts the header and the entries; crc32 covers the entries. The
 * file may be longer than length: ours are VARFILE_SIZE bytes, zero-padded,
 * and end with a tail of our own that EBBR readers ignore:
 *
 *   "XBvg" | le32 generation | le32 length | le32 crc32   (copies of the header's)
 *
 * Two copies, VARFILE_NAME (where U-Boot looks) and VARFILE_NAME_REDUND, in
 * the root of the boot disk's first FAT partition, as the saved environment
 * keeps its two (include/boot/env_store.h). A save rewrites both, the one
 * not holding the newest variables first, each in place when it already
 * has VARFILE_SIZE bytes, and flushes after each: a power cut leaves at
 * least one intact copy with the old or the new variables. Loading takes
 * the valid copy with the newer generation; a valid copy without a
 * matching tail was written by someone else (Linux userspace copying the
 * VarToFile variable, or U-Boot) after our last save, so it wins. */
#ifndef EFI_VARFILE_H
#define EFI_VARFILE_H

#include <fs/fs.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VARFILE_NAME "ubootefi.var"
#define VARFILE_NAME_REDUND "ubootefi-redund.var"
#define VARFILE_SIZE 0x8000u
#define VARFILE_HDR_SIZE 24u
#define VARFILE_TAIL_SIZE 16u
/* Most bytes the non-volatile entries may take. */
#define VARFILE_NV_LIMIT (VARFILE_SIZE - VARFILE_HDR_SIZE - VARFILE_TAIL_SIZE)

/* What varfile_validate() learned about one copy. */
struct varfile_info {
	bool is_valid;
	bool has_tail; /* ours, matching the header: generation is known */
	uint32_t generation;
	uint32_t length; /* the header's */
	size_t nv_bytes; /* store bytes the kept entries need */
	unsigned int kept, skipped; /* entries loaded / left out (not NV|BS[|RT]) */
	int err; /* see varfile_validate() */
};

/**
 * varfile_validate() - check the file image @buf (@size bytes, untrusted)
 * and fill @out. Returns out->err: 0; -EINVAL (too short, not the magic or
 * revision 1); -EFBIG (length outside the file); -EILSEQ (CRC mismatch);
 * -EBADMSG (an entry passes the end, or its name has no NUL). Entries that
 * are not plain non-volatile variables (volatile, authenticated, hardware
 * error records, empty) are counted as skipped, not errors.
 */
int __must_check varfile_validate(const uint8_t *buf, size_t size, struct varfile_info *out);

/**
 * varfile_apply() - add the kept entries of @buf, which varfile_validate()
 * accepted as @info, to @store (of repeated names the last wins).
 * -ENOSPC, with @store unchanged, when they do not fit.
 */
int __must_check varfile_apply(void *store, const uint8_t *buf, size_t size,
			       const struct varfile_info *info);

/**
 * varfile_export() - the file image of @store's non-volatile variables
 * (header and entries, no tail) into @buf; *@length is its size.
 * -EOVERFLOW, with *@length the size needed, when @size is too small.
 * Runtime-safe (the VarToFile variable uses it).
 */
int __must_check varfile_export(const void *store, void *buf, size_t size, size_t *length);

/** varfile_seal() - write the tail for @generation at the end of @buf (@size bytes). */
void varfile_seal(uint8_t *buf, size_t size, uint32_t generation);

/**
 * varfile_newest() - which copy to load: 0 (@a), 1 (@b), or -ENOENT when
 * neither is valid (rules at the top of this file; @a wins a tie).
 */
int varfile_newest(const struct varfile_info *a, const struct varfile_info *b);

/**
 * varfile_load_fs() - load the newest valid copy on @fs into @store.
 * -ENOENT when neither file exists; the first copy's error when none is
 * valid; -E2BIG when a copy is larger than VARFILE_SIZE (someone else's
 * file we cannot hold: nothing is loaded, and it must not be overwritten);
 * -ENOSPC when the chosen copy does not fit the store; an I/O error.
 */
int __must_check varfile_load_fs(void *store, struct fs *fs);

/**
 * varfile_save_fs() - write both copies of @store's non-volatile variables
 * to @fs (see the top of this file). -EROFS, or an I/O error.
 */
int __must_check varfile_save_fs(const void *store, struct fs *fs);

/** varfile_load() - varfile_load_fs() on the ESP (esp_mount()). */
int __must_check varfile_load(void *store);

/** varfile_save() - varfile_save_fs() on the ESP. */
int __must_check varfile_save(const void *store);

#endif
