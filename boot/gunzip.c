/*
 * gunzip with zlib (the Debian package; libz.a in the image). zlib checks
 * the gzip header and trailer itself when windowBits is 16 + 15 (zlib.h,
 * inflateInit2). The input is fed in pieces of at most UINT_MAX bytes
 * because zlib's counters are 32-bit.
 */
#include <boot/gunzip.h>
#include <lib/errno.h>
#include <limits.h>
#include <zlib.h>

#define GZIP_MAGIC0 0x1f
#define GZIP_MAGIC1 0x8b
#define GZIP_METHOD_DEFLATE 8
#define GZIP_MIN_SIZE 18 /* 10-byte header, 8-byte trailer (CRC-32, ISIZE) */
#define GZIP_WBITS (16 + MAX_WBITS) /* gzip wrapper only, 32 KiB window */

bool gunzip_is_gzip(const void *src, size_t len)
{
	const uint8_t *p = src;

	return len >= 3 && p[0] == GZIP_MAGIC0 && p[1] == GZIP_MAGIC1 &&
	       p[2] == GZIP_METHOD_DEFLATE;
}

uint32_t gunzip_isize(const void *src, size_t len)
{
	const uint8_t *p = (const uint8_t *)src + len - 4;

	if (len < GZIP_MIN_SIZE) {
		return 0;
	}
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Give zlib the next piece of input and output when it has used the last. */
static void refill(z_stream *zs, const uint8_t **in, size_t *in_left, uint8_t **out,
		   size_t *out_left)
{
	if (zs->avail_in == 0 && *in_left) {
		zs->next_in = (Bytef *)*in;
		zs->avail_in = (uInt)MIN(*in_left, (size_t)UINT_MAX);
		*in += zs->avail_in;
		*in_left -= zs->avail_in;
	}
	if (zs->avail_out == 0 && *out_left) {
		zs->next_out = *out;
		zs->avail_out = (uInt)MIN(*out_left, (size_t)UINT_MAX);
		*out += zs->avail_out;
		*out_left -= zs->avail_out;
	}
}

/*
 * The output is full and the stream has not ended: is there more output
 * (too big) or only a trailer still to read? Inflate into one spare byte.
 */
static int probe_full(z_stream *zs)
{
	uint8_t spare;
	int zrc;

	zs->next_out = &spare;
	zs->avail_out = 1;
	zrc = inflate(zs, Z_FINISH);
	if (zrc == Z_STREAM_END && zs->avail_out == 1) {
		return 0;
	}
	if (zs->avail_out == 0) {
		return -EFBIG;
	}
	return zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT ? -EILSEQ : -ENODATA;
}

/* One pass of inflate() over everything; maps zlib's result to ours. */
static int run(z_stream *zs, const uint8_t *in, size_t in_left, uint8_t *out, size_t out_left)
{
	for (;;) {
		refill(zs, &in, &in_left, &out, &out_left);
		int zrc = inflate(zs, Z_FINISH);

		switch (zrc) {
		case Z_STREAM_END:
			return 0;
		case Z_OK:
		case Z_BUF_ERROR:
			break;
		case Z_MEM_ERROR:
			return -ENOMEM;
		default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
			return -EILSEQ;
		}
		if (zs->avail_out == 0) {
			if (out_left == 0) {
				return probe_full(zs);
			}
		} else if (zs->avail_in == 0) {
			if (in_left == 0) {
				return -ENODATA;
			}
		} else {
			/* Room on both sides and no end: zlib made no progress. */
			return -EILSEQ;
		}
	}
}

int gunzip(const void *src, size_t src_len, void *dst, size_t dst_max, size_t *out_len)
{
	z_stream zs = {0};
	uint8_t none;
	int rc;

	*out_len = 0;
	if (!gunzip_is_gzip(src, src_len)) {
		return src_len < 3 ? -ENODATA : -EINVAL;
	}
	/* zalloc/zfree left 0: zlib then uses malloc/free (picolibc on our heap). */
	if (inflateInit2(&zs, GZIP_WBITS) != Z_OK) {
		return -ENOMEM;
	}
	/* zlib refuses a NULL next_out even with no room: @dst_max may be 0. */
	zs.next_out = &none;
	rc = run(&zs, src, src_len, dst, dst_max);
	/* total_out is a uLong: 64-bit on both our builds. */
	*out_len = (size_t)zs.total_out;
	if (*out_len > dst_max) {
		*out_len = dst_max; /* the probe's spare byte */
	}
	inflateEnd(&zs);
	return rc;
}
