/* dtinfo_parse() on arbitrary blobs: the DT is the first untrusted input
 * xenboot sees (STYLE U6). The blob is copied into an allocation of exactly
 * its size, so ASan catches any read past what we claim is readable. */
#include <fuzz.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

static void dtinfo_fuzz(const uint8_t *data, size_t size)
{
	struct dtinfo dt;
	void *blob = malloc(size ? size : 1);

	if (!blob) {
		return;
	}
	memcpy(blob, data, size);
	int rc = dtinfo_parse(blob, size, &dt);
	if (rc == 0 || rc == -E2BIG /* filled in anyway */) {
		fuzz_check(dt.bank_count <= DTINFO_MAX_BANKS);
		fuzz_check(dt.ext_region_count <= DTINFO_MAX_EXT_REGIONS);
		fuzz_check(dt.device_count <= DTINFO_MAX_DEVICES);
		fuzz_check(dt.fdt_size <= size);
		/* bootargs points into the blob and is terminated inside it. */
		if (dt.bootargs) {
			const char *b = dt.bootargs, *base = blob;
			fuzz_check(b >= base && b < base + size);
			fuzz_check(memchr(b, '\0', (size_t)(base + size - b)) != NULL);
		}
		for (unsigned int i = 0; i < dt.bank_count; i++) {
			fuzz_check(dt.banks[i].size != 0);
		}
	}
	free(blob);
}

FUZZ_TARGET(dtinfo_fuzz)
