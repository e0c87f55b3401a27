/* Starting a Linux arm64 kernel: everything `booti` does after parsing its
 * arguments (Documentation/arch/arm64/booting.rst, xen-abi.md §12-13). */
#ifndef BOOT_LINUX_H
#define BOOT_LINUX_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

/* boot_linux()'s result when the arch only recorded the jump (the sandbox). */
#define BOOT_LINUX_RECORDED 1

enum boot_initrd_kind {
	BOOT_INITRD_NONE,
	BOOT_INITRD_RAW, /* initrd .. +initrd_size */
	BOOT_INITRD_LEGACY, /* mkimage-wrapped ramdisk at initrd: size from its header */
};

struct boot_linux_args {
	uint64_t kernel; /* guest-physical address of an Image or Image.gz */
	enum boot_initrd_kind initrd_kind;
	uint64_t initrd, initrd_size;
	uint64_t fdt; /* the DTB to start from */
	bool is_fdt_explicit; /* given by the user: warn if it lacks /hypervisor */
	const char *bootargs; /* NULL: keep the DTB's /chosen/bootargs */
};

/**
 * boot_linux() - validate the kernel header, inflate or move the kernel to a
 * valid place, place the initrd in the kernel's 32 GiB window, prepare the
 * DTB copy, report where each went, hand Xen's services back (handoff_xen)
 * and jump. Every address in @a points at untrusted data.
 * Any problem a user can cause is found before anything is written outside
 * free RAM, and reported in one line: then it returns -errno and xenboot
 * goes on as before. On arm64 a successful call never returns; in the
 * sandbox it returns BOOT_LINUX_RECORDED (see sandbox/jump.h).
 * Errors: -EFAULT (an address outside RAM or over xenboot, the DT or lost
 * pages), -ENOEXEC (not an arm64 Image), -EINVAL (unsupported header, bad
 * DTB, bad initrd image), -ENOSPC (no room), and gunzip()'s.
 */
int __must_check boot_linux(const struct boot_linux_args *a);

#endif
