/* Strict number parsing: every byte must be a digit, no overflow. */
#include <lib/errno.h>
#include <lib/parse.h>
#include <string.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return 99;
}

int parse_u64_n(const char *s, size_t len, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;

	if (base == 0) {
		base = 10;
		if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
			len -= 2;
		}
	}
	if (len == 0 || (base != 10 && base != 16)) {
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		int d = digit_value(s[i]);
		if (d >= (int)base) {
			return -EINVAL;
		}
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v)) {
			return -ERANGE;
		}
	}
	*out = v;
	return 0;
}

int parse_u64(const char *s, unsigned int base, uint64_t *out)
{
	return parse_u64_n(s, strlen(s), base, out);
}
