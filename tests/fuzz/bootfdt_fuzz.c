/* The DTB fix-up on arbitrary blobs (STYLE T3): whatever bootfdt_check()
 * accepts, bootfdt_prepare() must turn into a valid tree that carries our
 * /chosen, and never read or write outside the two allocations. */
#include <boot/fdt.h>
#include <fuzz.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

static void bootfdt_fuzz(const uint8_t *data, size_t size)
{
	struct bootfdt_params p = {"console=hvc0 root=/dev/xvda2", size & 1, 0x48000000,
				   0x48800000};
	uint32_t src_size, copy;
	void *src = malloc(size ? size : 1), *dst = NULL;

	if (!src) {
		return;
	}
	memcpy(src, data, size);
	if (bootfdt_check(src, size, &src_size) == 0) {
		fuzz_check(src_size <= size && src_size <= BOOTFDT_MAX_SIZE);
		copy = bootfdt_copy_size(src_size, p.bootargs);
		dst = copy ? malloc(copy) : NULL;
	}
	if (dst && bootfdt_prepare(src, dst, copy, &p) == 0) {
		int chosen = fdt_path_offset(dst, "/chosen");
		const char *args = fdt_getprop(dst, chosen, "bootargs", NULL);

		fuzz_check(fdt_check_full(dst, copy) == 0);
		fuzz_check(args && strcmp(args, p.bootargs) == 0);
		fuzz_check(!fdt_getprop(dst, chosen, "linux,initrd-start", NULL) == !p.has_initrd);
		(void)bootfdt_has_hypervisor(dst);
	}
	free(dst);
	free(src);
}

FUZZ_TARGET(bootfdt_fuzz)
