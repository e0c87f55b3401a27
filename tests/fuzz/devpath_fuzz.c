/* efi/devpath.c on hostile device paths, as an application hands them in
 * (LoadImage, LoadFile2, the boot manager). The input sits at the start of
 * an EFI_DEVPATH_MAX buffer whose tail is filled with nodes that are never
 * an end node: a walk that passed the bound would read past the buffer,
 * which ASan reports. The first input byte splits the rest into two paths. */
#include "fuzz.h"
#include <efi/devpath.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

static struct efi_device_path *place(const uint8_t *data, size_t size)
{
	static const uint8_t filler[4] = {EFI_DP_TYPE_HARDWARE, 0x7e, 4, 0};
	uint8_t *buf = malloc(EFI_DEVPATH_MAX);

	size = size < EFI_DEVPATH_MAX ? size : EFI_DEVPATH_MAX;
	memcpy(buf, data, size);
	for (size_t i = size; i < EFI_DEVPATH_MAX; i++) {
		buf[i] = filler[(i - size) % 4];
	}
	return (void *)buf;
}

static void check_one(const struct efi_device_path *p)
{
	struct efi_device_path *copy;
	size_t size, matched;
	char text[512];

	if (efi_devpath_size(p, &size) == 0) {
		fuzz_check(size >= 4 && size <= EFI_DEVPATH_MAX);
	}
	if (efi_devpath_match_prefix(p, p, &matched) == 0) {
		fuzz_check(matched <= EFI_DEVPATH_MAX);
		fuzz_check(efi_devpath_eq(p, p));
		/* A copy of the nodes is the same path, and p is its prefix. */
		if (efi_devpath_append(p, NULL, &copy) == 0) {
			fuzz_check(efi_devpath_size(copy, &size) == 0 && size == matched + 4);
			fuzz_check(efi_devpath_eq(p, copy));
			free(copy);
		}
	}
	(void)efi_devpath_file_utf8(p, text, sizeof(text));
}

static void fuzz_devpath(const uint8_t *data, size_t size)
{
	struct efi_device_path *a, *b, *both;
	size_t split, na, nb, matched;

	if (size < 1) {
		return;
	}
	split = 1 + (size - 1) * data[0] / 256;
	a = place(data + 1, split - 1);
	b = place(data + split, size - split);
	check_one(a);
	check_one(b);
	if (efi_devpath_match_prefix(a, a, &na) == 0 && efi_devpath_match_prefix(b, b, &nb) == 0 &&
	    efi_devpath_append(a, b, &both) == 0) {
		fuzz_check(na + nb + 4 <= EFI_DEVPATH_MAX);
		fuzz_check(efi_devpath_match_prefix(a, both, &matched) == 0 && matched == na);
		free(both);
	}
	(void)efi_devpath_match_prefix(a, b, &matched);
	free(a);
	free(b);
}

FUZZ_TARGET(fuzz_devpath)
