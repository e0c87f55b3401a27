/* Inflating gzip data (RFC 1952) with zlib into a bounded buffer: Image.gz
 * kernels and gzip'd script or ramdisk payloads. */
#ifndef BOOT_GUNZIP_H
#define BOOT_GUNZIP_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** gunzip_is_gzip() - true if @src starts with the gzip magic and method 8 (deflate). */
bool gunzip_is_gzip(const void *src, size_t len);

/**
 * gunzip() - inflate the first gzip member of [@src, @src+@src_len) (untrusted)
 * into @dst, writing at most @dst_max bytes; *@out_len receives the bytes
 * written, also on error (what was inflated before it was found). The
 * header, the CRC-32 and the length in the trailer are all checked. Bytes
 * after the member are ignored, as every gzip loader does (padding).
 * @src and @dst must not overlap. Uses the heap (a 32 KiB window and zlib's
 * state, about 40 KiB, freed).
 * Returns 0, or
 *  -EINVAL  not gzip (see gunzip_is_gzip()),
 *  -EFBIG   the output is bigger than @dst_max,
 *  -EILSEQ  corrupt: bad header, bad deflate data, CRC or length mismatch,
 *  -ENODATA truncated: the input ends before the member does,
 *  -ENOMEM  no heap for zlib's state.
 */
int __must_check gunzip(const void *src, size_t src_len, void *dst, size_t dst_max,
			size_t *out_len);

/**
 * gunzip_isize() - the uncompressed size the trailer claims (mod 2^32), a
 * hint only: it is untrusted until gunzip() has checked it. 0 if @len < 18.
 */
uint32_t gunzip_isize(const void *src, size_t len);

#endif
