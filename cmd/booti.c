/*
 * booti <kernel_addr> [<initrd_addr>[:<size>] | -] [<fdt_addr>]: start a
 * Linux arm64 Image or Image.gz, as U-Boot's booti. A bare initrd address
 * is an mkimage-wrapped ramdisk (its header holds the size); "-" or nothing
 * means no initrd. Without <fdt_addr> the DTB is $fdtcontroladdr, else the
 * one Xen passed. /chosen/bootargs comes from $bootargs when it is set.
 */
#include <arch/arch.h>
#include <boot/linux.h>
#include <cmd/cmd.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

/* "addr:size" (raw) or "addr" (legacy image); "-" is no initrd. */
static int parse_initrd(const char *arg, struct boot_linux_args *a)
{
	const char *colon = strchr(arg, ':');
	char addr[24];

	if (strcmp(arg, "-") == 0) {
		a->initrd_kind = BOOT_INITRD_NONE;
		return 0;
	}
	if (!colon) {
		a->initrd_kind = BOOT_INITRD_LEGACY;
		return cmd_parse_num(arg, &a->initrd);
	}
	if ((size_t)(colon - arg) >= sizeof(addr)) {
		return -EINVAL;
	}
	memcpy(addr, arg, (size_t)(colon - arg));
	addr[colon - arg] = '\0';
	a->initrd_kind = BOOT_INITRD_RAW;
	if (cmd_parse_num(addr, &a->initrd) || cmd_parse_num(colon + 1, &a->initrd_size)) {
		return -EINVAL;
	}
	return 0;
}

/* The DTB when none is given: $fdtcontroladdr, else Xen's. */
static int default_fdt(uint64_t *fdt)
{
	const char *v = env_get("fdtcontroladdr");
	const struct dtinfo *dt = dtinfo_get();

	if (v) {
		return cmd_parse_num(v, fdt);
	}
	if (!dt || !dt->fdt) {
		return -ENOENT;
	}
	*fdt = arch_virt_to_phys(dt->fdt);
	return 0;
}

static int do_booti(int argc, char *argv[])
{
	struct boot_linux_args a = {.bootargs = env_get("bootargs")};
	int rc;

	if (argc < 2 || argc > 4) {
		return CMD_RET_USAGE;
	}
	if (cmd_parse_num(argv[1], &a.kernel) || (argc > 2 && parse_initrd(argv[2], &a))) {
		return CMD_RET_USAGE;
	}
	a.is_fdt_explicit = argc > 3;
	rc = a.is_fdt_explicit ? cmd_parse_num(argv[3], &a.fdt) : default_fdt(&a.fdt);
	if (rc) {
		xb_printf("booti: no device tree (give <fdt_addr>)\n");
		return a.is_fdt_explicit ? CMD_RET_USAGE : -ENOENT;
	}
	rc = boot_linux(&a);
	if (rc == BOOT_LINUX_RECORDED) {
		/* The sandbox: the registers are in sandbox/jump.h's record. */
		xb_printf("## sandbox: jump to the kernel recorded, not made\n");
		return 0;
	}
	return rc;
}

const struct cmd cmd_booti = {
    .name = "booti",
    .usage = "<kernel_addr> [<initrd_addr>[:<size>] | -] [<fdt_addr>]",
    .help = "boot a Linux arm64 Image or Image.gz (initrd raw addr:size or mkimage ramdisk)",
    .run = do_booti,
};
