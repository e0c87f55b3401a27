/* Strict number parsing for untrusted strings (XenStore values, shell args). */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <lib/compiler.h>
#include <stddef.h>
#include <stdint.h>

/**
 * parse_u64() - the whole of @s as an unsigned number: decimal, or hex with
 * 0x. No sign, no spaces, no trailing bytes, no overflow.
 * @base: 10, 16, or 0 for "0x means 16, else 10".
 * Returns 0 or -EINVAL / -ERANGE.
 */
int __must_check parse_u64(const char *s, unsigned int base, uint64_t *out);
/** parse_u64_n() - like parse_u64() on the first @len bytes of @s. */
int __must_check parse_u64_n(const char *s, size_t len, unsigned int base, uint64_t *out);

#endif
