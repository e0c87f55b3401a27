/*
 * gunzip: the gzip framing (RFC 1952) is read here, the deflate data in
 * between is inflated by zlib's inflateBack() (the Debian package; libz.a
 * in the image). inflateBack() rather than inflate(): in the image it links
 * about 8 KiB less (no gzip/zlib wrapper state machine, no crc32.o), and the
 * CRC-32 of the output is lib/crc32.c's, computed as the output is copied.
 * zlib's window is its own 32 KiB buffer; each piece of output passes
 * through it into @dst, which bounds every write by @dst_max.
 */
#include <boot/gunzip.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <lib/le.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZIP_MAGIC0 0x1f
#define GZIP_MAGIC1 0x8b
#define GZIP_METHOD_DEFLATE 8
#define GZIP_HEADER_SIZE 10 /* magic, method, flags, mtime, xfl, os */
#define GZIP_TRAILER_SIZE 8 /* CRC-32 and ISIZE, little-endian */
#define GZIP_MIN_SIZE (GZIP_HEADER_SIZE + GZIP_TRAILER_SIZE)
#define GZIP_FHCRC 0x02
#define GZIP_FEXTRA 0x04
#define GZIP_FNAME 0x08
#define GZIP_FCOMMENT 0x10
#define GZIP_FRESERVED 0xe0
#define GZIP_WINDOW_BITS 15

bool gunzip_is_gzip(const void *src, size_t len)
{
	const uint8_t *p = src;

	return len >= 3 && p[0] == GZIP_MAGIC0 && p[1] == GZIP_MAGIC1 &&
	       p[2] == GZIP_METHOD_DEFLATE;
}

uint32_t gunzip_isize(const void *src, size_t len)
{
	return len < GZIP_MIN_SIZE ? 0 : get_le32((const le32 *)((const uint8_t *)src + len - 4));
}

/* Move *@off past a NUL-terminated field (FNAME, FCOMMENT). */
static int skip_string(const uint8_t *p, size_t len, size_t *off)
{
	const uint8_t *nul = memchr(p + *off, 0, len - *off);

	if (!nul) {
		return -ENODATA;
	}
	*off = (size_t)(nul - p) + 1;
	return 0;
}

/* The header's length (where the deflate data starts) in *@off. */
static int parse_header(const uint8_t *p, size_t len, size_t *off)
{
	uint8_t flags;
	int rc = 0;

	if (!gunzip_is_gzip(p, len)) {
		return len < 3 ? -ENODATA : -EINVAL;
	}
	if (len < GZIP_HEADER_SIZE) {
		return -ENODATA;
	}
	flags = p[3];
	*off = GZIP_HEADER_SIZE;
	if (flags & GZIP_FRESERVED) {
		return -EILSEQ;
	}
	if (flags & GZIP_FEXTRA) {
		if (len - *off < 2 || len - *off - 2 < (size_t)(p[*off] | p[*off + 1] << 8)) {
			return -ENODATA;
		}
		*off += 2 + (size_t)(p[*off] | p[*off + 1] << 8);
	}
	if (flags & GZIP_FNAME) {
		rc = skip_string(p, len, off);
	}
	if (!rc && (flags & GZIP_FCOMMENT)) {
		rc = skip_string(p, len, off);
	}
	if (!rc && (flags & GZIP_FHCRC)) {
		if (len - *off < 2) {
			return -ENODATA;
		}
		/* The low 16 bits of the CRC-32 of everything before it. */
		if ((crc32_update(0, p, *off) & 0xffff) != (uint32_t)(p[*off] | p[*off + 1] << 8)) {
			return -EILSEQ;
		}
		*off += 2;
	}
	return rc;
}

struct source {
	const uint8_t *p;
	size_t left;
};

struct sink {
	uint8_t *dst;
	size_t max, done;
	uint32_t crc;
};

/* inflateBack's input: the rest of the buffer, UINT_MAX bytes at a time. */
static unsigned source_in(void *desc, z_const unsigned char **buf)
{
	struct source *s = desc;
	unsigned n = (unsigned)MIN(s->left, (size_t)UINT_MAX);

	*buf = (z_const unsigned char *)s->p;
	s->p += n;
	s->left -= n;
	return n;
}

/* inflateBack's output: copied into @dst while it fits; non-zero stops it. */
static int sink_out(void *desc, unsigned char *buf, unsigned len)
{
	struct sink *s = desc;
	size_t n = MIN((size_t)len, s->max - s->done);

	memcpy(s->dst + s->done, buf, n);
	s->crc = crc32_update(s->crc, buf, n);
	s->done += n;
	return n < len;
}

/* The deflate data from @p, then the trailer; zlib's result mapped to ours. */
static int inflate_body(z_stream *zs, const uint8_t *p, size_t len, struct sink *out)
{
	struct source in = {p, len};
	size_t used;
	int zrc;

	zs->next_in = Z_NULL; /* inflateBack asks source_in() first */
	zs->avail_in = 0;
	zrc = inflateBack(zs, source_in, &in, sink_out, out);
	if (zrc == Z_BUF_ERROR) {
		/* next_in is Z_NULL only when the input ran out (zlib.h). */
		return zs->next_in ? -EFBIG : -ENODATA;
	}
	if (zrc != Z_STREAM_END) {
		return zrc == Z_MEM_ERROR ? -ENOMEM : -EILSEQ;
	}
	used = (size_t)((const uint8_t *)zs->next_in - p);
	if (len - used < GZIP_TRAILER_SIZE) {
		return -ENODATA;
	}
	if (get_le32((const le32 *)(p + used)) != out->crc ||
	    get_le32((const le32 *)(p + used + 4)) != (uint32_t)out->done) {
		return -EILSEQ;
	}
	return 0;
}

int gunzip(const void *src, size_t src_len, void *dst, size_t dst_max, size_t *out_len)
{
	struct sink out = {dst, dst_max, 0, 0};
	z_stream zs = {0};
	unsigned char *window;
	size_t off = 0;
	int rc = parse_header(src, src_len, &off);

	*out_len = 0;
	if (rc) {
		return rc;
	}
	/* zalloc/zfree left 0: zlib uses malloc/free (picolibc on our heap). */
	window = malloc(1u << GZIP_WINDOW_BITS);
	if (!window) {
		return -ENOMEM;
	}
	if (inflateBackInit(&zs, GZIP_WINDOW_BITS, window) != Z_OK) {
		free(window);
		return -ENOMEM;
	}
	rc = inflate_body(&zs, (const uint8_t *)src + off, src_len - off, &out);
	*out_len = out.done;
	inflateBackEnd(&zs);
	free(window);
	return rc;
}
