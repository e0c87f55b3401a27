/* U-Boot's environment layout <-> the environment (include/boot/env_format.h).
 * A copy comes from a disk anyone may have written: the CRC is checked
 * first, then every entry, before anything is applied, so a bad copy changes
 * nothing. */
#include <boot/env_format.h>
#include <lib/crc32.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/le.h>
#include <string.h>

int env_format_export(uint8_t *buf, size_t size, uint8_t flags)
{
	size_t pos = ENV_HDR_REDUND;
	const char *name, *value;
	le32 crc;

	if (size < ENV_HDR_REDUND + 1) {
		return -ENOSPC;
	}
	/* env_at() iterates sorted by name, the order U-Boot writes. */
	for (unsigned int i = 0; i < env_count(); i++) {
		env_at(i, &name, &value);
		size_t nlen = strlen(name), vlen = strlen(value);

		/* The entry, its '=' and NUL, and the final empty string. */
		if (nlen + vlen + 3 > size - pos) {
			return -ENOSPC;
		}
		memcpy(buf + pos, name, nlen);
		buf[pos + nlen] = '=';
		memcpy(buf + pos + nlen + 1, value, vlen + 1);
		pos += nlen + vlen + 2;
	}
	memset(buf + pos, 0, size - pos); /* the empty string and the padding */
	put_le32(&crc, crc32_update(0, buf + ENV_HDR_REDUND, size - ENV_HDR_REDUND));
	memcpy(buf, &crc, sizeof(crc));
	buf[4] = flags;
	return 0;
}

/* Does the CRC at the start of @buf cover the @hdr-byte header layout? */
static bool is_crc_ok(const uint8_t *buf, size_t size, size_t hdr)
{
	le32 crc;

	memcpy(&crc, buf, sizeof(crc));
	return size > hdr && get_le32(&crc) == crc32_update(0, buf + hdr, size - hdr);
}

/* Walk the entries of the data area @d (@n bytes). */
static int check_entries(const uint8_t *d, size_t n, size_t *bad_at)
{
	unsigned int count = 0;
	size_t p = 0;

	for (;;) {
		*bad_at = p;
		if (p >= n) {
			return -EBADMSG; /* no empty string at the end */
		}
		if (d[p] == '\0') {
			return 0;
		}
		const uint8_t *end = memchr(d + p, '\0', n - p);
		const uint8_t *eq = memchr(d + p, '=', end ? (size_t)(end - d) - p : 0);

		if (!end) {
			return -EBADMSG;
		}
		if (!eq || !env_name_is_valid((const char *)d + p, (size_t)(eq - d) - p)) {
			return -EINVAL;
		}
		if ((size_t)(end - eq) - 1 > ENV_VALUE_MAX) {
			return -E2BIG;
		}
		if (end > eq + 1 && ++count > ENV_COUNT_MAX) {
			return -ENOSPC;
		}
		p = (size_t)(end - d) + 1;
	}
}

int env_format_validate(const uint8_t *buf, size_t size, struct env_copy *out)
{
	size_t hdr;

	memset(out, 0, sizeof(*out));
	if (is_crc_ok(buf, size, ENV_HDR_REDUND)) {
		out->is_redundant = true;
		out->flags = buf[4];
		hdr = ENV_HDR_REDUND;
	} else if (is_crc_ok(buf, size, ENV_HDR_SINGLE)) {
		hdr = ENV_HDR_SINGLE;
	} else {
		out->err = -EILSEQ;
		return out->err;
	}
	out->err = check_entries(buf + hdr, size - hdr, &out->bad_at);
	out->bad_at += hdr;
	out->is_valid = out->err == 0;
	return out->err;
}

int env_format_apply(const uint8_t *buf, size_t size, const struct env_copy *copy)
{
	size_t p = copy->is_redundant ? ENV_HDR_REDUND : ENV_HDR_SINGLE;
	char name[ENV_NAME_MAX + 1];

	if (!copy->is_valid) {
		return -EINVAL; /* our bug: the caller skipped validation */
	}
	env_clear();
	/* Validated: every entry has '=' and a NUL inside @size, and a valid
	 * name, and an empty string follows the last one. */
	while (p < size && buf[p] != '\0') {
		const char *e = (const char *)buf + p;
		size_t nlen = (size_t)(strchr(e, '=') - e);
		int rc;

		memcpy(name, e, nlen);
		name[nlen] = '\0';
		rc = env_set(name, e + nlen + 1);
		if (rc) {
			return rc;
		}
		p += strlen(e) + 1;
	}
	return 0;
}

int env_format_newest(const struct env_copy *a, const struct env_copy *b)
{
	if (!a->is_valid || !b->is_valid) {
		return a->is_valid ? 0 : b->is_valid ? 1 : -ENOENT;
	}
	if (a->is_redundant != b->is_redundant) {
		return a->is_redundant ? 0 : 1;
	}
	if (a->flags == 255 && b->flags == 0) {
		return 1;
	}
	if (b->flags == 255 && a->flags == 0) {
		return 0;
	}
	return b->flags > a->flags ? 1 : 0;
}

const char *env_format_error(int err)
{
	switch (err) {
	case -EILSEQ:
		return "bad CRC";
	case -EBADMSG:
		return "entry without terminator";
	case -EINVAL:
		return "bad entry or variable name";
	case -E2BIG:
		return "value too long";
	case -ENOSPC:
		return "too many variables";
	default:
		return "unreadable";
	}
}
