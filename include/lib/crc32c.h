/* CRC-32C (Castagnoli), the checksum of ext4's metadata_csum (and of iSCSI,
 * SCTP, btrfs). */
#ifndef LIB_CRC32C_H
#define LIB_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/**
 * crc32c_update() - continue the CRC-32C @crc over @len bytes at @buf, with
 * neither the initial nor the final inversion: ext4 chains raw values from a
 * seed (~0 or the filesystem's), so the caller owns both. The standard
 * checksum of a buffer is ~crc32c_update(~0u, buf, len).
 */
uint32_t crc32c_update(uint32_t crc, const void *buf, size_t len);

#endif
