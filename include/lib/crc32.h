/* CRC-32 (IEEE 802.3, reflected 0xedb88320): the checksum of GPT headers,
 * gzip, zlib's crc32() and the `crc32` command and tool. */
#ifndef LIB_CRC32_H
#define LIB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/**
 * crc32_update() - continue @crc over @len bytes at @buf. Same contract as
 * zlib's crc32(): start with 0, feed pieces in order; the result of one
 * call is the checksum of everything fed so far.
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
