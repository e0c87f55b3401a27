/* The saved environment's on-disk format, as U-Boot writes it (U-Boot's
 * env/common.c and include/env_internal.h; xen-abi.md §13):
 *
 *   redundant copy:  le32 crc | u8 flags | data
 *   single copy:     le32 crc | data
 *
 * where data is "name=value\0" pairs sorted by name, ended by an empty
 * string and zero-padded to the end of the copy, and crc is the CRC-32 of
 * all of data (padding included). Of two redundant copies the valid one with
 * the newer flags wins (flags count up by one per save and wrap 255 -> 0).
 * This file only converts between that layout and the environment of
 * <lib/env.h>; where the copies live is boot/env_store.c. */
#ifndef BOOT_ENV_FORMAT_H
#define BOOT_ENV_FORMAT_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of one copy: fw_env.config needs the same SIZE (README). */
#define ENV_STORE_SIZE 0x4000u
#define ENV_HDR_REDUND 5u /* crc + flags */
#define ENV_HDR_SINGLE 4u /* crc */

/* What env_format_validate() learned about one copy. */
struct env_copy {
	bool is_valid;
	bool is_redundant; /* has a flags byte (else U-Boot's single layout) */
	uint8_t flags;
	int err; /* why it is not valid: see env_format_validate() */
	size_t bad_at; /* byte offset of the first bad entry, for messages */
};

/**
 * env_format_export() - the current environment as a redundant copy with
 * @flags, into @buf (@size bytes, the copy's size: everything is written,
 * padding included). -ENOSPC when it does not fit.
 */
int __must_check env_format_export(uint8_t *buf, size_t size, uint8_t flags);

/**
 * env_format_validate() - check the copy @buf (@size bytes, untrusted),
 * redundant layout first, then the single one. Fills @out (is_valid, the
 * layout and flags, or err and bad_at) and returns out->err: 0, -EILSEQ (the
 * CRC matches neither layout), -EBADMSG (an entry or the list lacks its
 * terminator), -EINVAL (an entry without '=' or with an invalid name),
 * -E2BIG (a value over ENV_VALUE_MAX), -ENOSPC (over ENV_COUNT_MAX).
 */
int __must_check env_format_validate(const uint8_t *buf, size_t size, struct env_copy *out);

/**
 * env_format_apply() - replace the whole environment by the copy @buf, which
 * env_format_validate() accepted as @copy (call it on the same, unchanged
 * bytes). Entries with an empty value are skipped; of repeated names the
 * last wins. Can only fail with -ENOMEM, leaving a partial environment: the
 * caller then falls back to the defaults.
 */
int __must_check env_format_apply(const uint8_t *buf, size_t size, const struct env_copy *copy);

/**
 * env_format_newest() - which of two copies to use: 0 (@a), 1 (@b) or
 * -ENOENT (neither is valid). Of two redundant copies the higher flags wins,
 * except that 0 beats 255 (wrap), and @a wins a tie; a redundant copy beats
 * a single-layout one (that is only a fallback, see README).
 */
int env_format_newest(const struct env_copy *a, const struct env_copy *b);

/** env_format_error() - a few words for an env_format_validate() error. */
const char *env_format_error(int err);

#endif
