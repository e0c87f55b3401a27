/* gunzip() on arbitrary input (STYLE U6): the first two bytes choose the
 * output bound, the rest is the "gzip" stream, copied to an allocation of
 * exactly its size and inflated into one of exactly the bound, so ASan
 * sees any access outside either. */
#include <boot/gunzip.h>
#include <fuzz.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

static void gunzip_fuzz(const uint8_t *data, size_t size)
{
	size_t max, len = 0;
	uint8_t *in, *out;
	int rc;

	if (size < 2) {
		return;
	}
	max = ((size_t)data[0] << 8 | data[1]) * 16;
	in = malloc(size - 2 ? size - 2 : 1);
	out = malloc(max ? max : 1);
	if (in && out) {
		memcpy(in, data + 2, size - 2);
		rc = gunzip(in, size - 2, out, max, &len);
		fuzz_check(len <= max);
		fuzz_check(rc == 0 || rc == -EINVAL || rc == -EFBIG || rc == -EILSEQ ||
			   rc == -ENODATA || rc == -ENOMEM);
		fuzz_check(rc != -EINVAL || !gunzip_is_gzip(in, size - 2));
	}
	free(in);
	free(out);
}

FUZZ_TARGET(gunzip_fuzz)
