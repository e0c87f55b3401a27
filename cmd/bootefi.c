/*
 * bootefi <image>[:<size>] [<initrd>:<size>] [<fdt>]
 *
 * Run a UEFI application (GRUB, systemd-boot, the Linux EFI stub) from
 * memory, as U-Boot's bootefi: <size> defaults to $filesize, the device
 * tree to $fdtcontroladdr, else the one Xen gave us. $bootargs become the
 * image's LoadOptions (UCS-2). An initrd is offered to the Linux stub
 * through LoadFile2. A gzip'd image (Debian's arm64 vmlinuz) is inflated
 * first: the Image inside is itself a PE. Prints "Booting <what>" and, if
 * the image returns, "Application returned: <status>".
 */
#include <arch/arch.h>
#include <cmd/bootefi.h>
#include <cmd/cmd.h>
#include <disk/disk.h>
#include <efi/devpath.h>
#include <efi/bootmgr.h>
#include <efi/efi.h>
#include <efi/image.h>
#include <fs/fsload.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#define WHO "bootefi"
#define BOOTEFI_OPTIONS_MAX 2048 /* UCS-2 units of $bootargs */

/* The last file `load` read: where it came from and where it went. The one
 * piece of state between commands, as U-Boot keeps its boot device. */
static struct {
	char iface[16], spec[40], path[256];
	uint64_t addr, size;
	bool is_set;
} last_load;

void bootefi_note_load(const char *iface, const char *spec, const char *path, uint64_t addr,
		       uint64_t size)
{
	last_load.is_set = strlen(iface) < sizeof(last_load.iface) &&
			   strlen(spec) < sizeof(last_load.spec) &&
			   strlen(path) < sizeof(last_load.path);
	if (last_load.is_set) {
		strcpy(last_load.iface, iface);
		strcpy(last_load.spec, spec);
		strcpy(last_load.path, path);
		last_load.addr = addr;
		last_load.size = size;
	}
}

struct bootefi_args {
	uint64_t image, size;
	uint64_t initrd, initrd_size;
	uint64_t fdt;
	bool has_initrd, has_fdt;
};

/* "addr:size" into @addr and @size; "addr" alone leaves @size alone. */
static int parse_addr_size(const char *arg, uint64_t *addr, uint64_t *size, bool *has_size)
{
	const char *colon = strchr(arg, ':');
	char a[24];

	*has_size = colon != NULL;
	if (!colon) {
		return cmd_parse_num(arg, addr);
	}
	if ((size_t)(colon - arg) >= sizeof(a)) {
		return -EINVAL;
	}
	memcpy(a, arg, (size_t)(colon - arg));
	a[colon - arg] = '\0';
	return cmd_parse_num(a, addr) || cmd_parse_num(colon + 1, size) ? -EINVAL : 0;
}

static int parse_args(int argc, char *argv[], struct bootefi_args *a)
{
	bool has_size;
	const char *fs = env_get("filesize");

	memset(a, 0, sizeof(*a));
	if (argc < 2 || argc > 4 || parse_addr_size(argv[1], &a->image, &a->size, &has_size)) {
		return CMD_RET_USAGE;
	}
	if (!has_size && (!fs || cmd_parse_num(fs, &a->size))) {
		xb_printf(WHO ": no image size (give <image>:<size> or set filesize)\n");
		return -EINVAL;
	}
	/* An "addr:size" second word is the initrd; a bare word last is the DT. */
	int next = 2;
	if (argc > 2 && strchr(argv[2], ':')) {
		if (parse_addr_size(argv[2], &a->initrd, &a->initrd_size, &a->has_initrd)) {
			return CMD_RET_USAGE;
		}
		next = 3;
	}
	if (next < argc) {
		a->has_fdt = true;
		return next + 1 != argc || cmd_parse_num(argv[next], &a->fdt) ? CMD_RET_USAGE : 0;
	}
	const char *v = env_get("fdtcontroladdr");
	a->has_fdt = v != NULL;
	return v && cmd_parse_num(v, &a->fdt) ? -EINVAL : 0;
}

/* Publish the DT at @addr (in RAM, checked by libfdt's header check). */
static int install_fdt(uint64_t addr)
{
	const void *fdt = arch_phys_to_virt(addr);
	int rc = fsload_check_ram(WHO, addr, sizeof(struct fdt_header));

	if (!rc) {
		rc = fdt_check_header(fdt) ? -EINVAL
					   : fsload_check_ram(WHO, addr, fdt_totalsize(fdt));
	}
	if (!rc) {
		rc = efi_fdt_install(efi_get(), fdt);
	}
	if (rc) {
		xb_printf(WHO ": no valid device tree at 0x%llx\n", (unsigned long long)addr);
	}
	return rc;
}

/* $bootargs as the image's LoadOptions, UCS-2 with the NUL counted. */
static int set_options(efi_handle_t h)
{
	static efi_char16_t w[BOOTEFI_OPTIONS_MAX];
	const char *args = env_get("bootargs");

	if (!args || !*args) {
		return 0;
	}
	int n = efi_utf8_to_ucs2(w, ARRAY_SIZE(w), args);
	if (n < 0) {
		xb_printf(WHO ": bootargs too long\n");
		return n;
	}
	return efi_image_set_options(h, w, ((uint64_t)n + 1) * sizeof(w[0]));
}

/* StartImage and what it returned, as U-Boot users read it. */
static int run_image(efi_handle_t h)
{
	struct efi *e = efi_get();
	uint64_t data_size = 0;
	efi_char16_t *data = NULL;
	efi_status_t s = efi_boot_start(h, &data_size, &data);
	char text[128];

	xb_printf("Application returned: %s\n", efi_status_name(s));
	if (data && data_size >= 2) {
		(void)efi_ucs2_to_utf8(text, sizeof(text), data, data_size / 2);
		xb_printf("  exit data: %pE\n", text);
	}
	if (data) {
		(void)e->bs.free_pool(data);
	}
	return s == EFI_SUCCESS ? 0 : CMD_RET_FAILURE;
}

/* Where the image came from, for its Loaded Image protocol: the partition
 * and file of the last `load` if that is what sits at @addr (as U-Boot
 * does), else a memory-mapped node. NULL when neither can be built (the
 * image still loads, from memory). @what receives what "Booting" prints. */
static struct efi_device_path *image_device_path(uint64_t addr, uint64_t size, char *what,
						 size_t what_size)
{
	struct efi_device_path *dp = NULL;
	struct blk_part w;

	if (last_load.is_set && last_load.addr == addr && last_load.size == size) {
		xb_snprintf(what, what_size, "%s%s", last_load.path[0] == '/' ? "" : "/",
			    last_load.path);
		if (disk_part(NULL, last_load.iface, last_load.spec, &w) == 0 &&
		    efi_disk_file_path(&w, last_load.path, &dp) == 0) {
			return dp;
		}
	} else {
		xb_snprintf(what, what_size, "image at 0x%llx", (unsigned long long)addr);
	}
	return efi_devpath_memmap(EfiLoaderCode, addr, size, &dp) ? NULL : dp;
}

/* LoadImage of the @size bytes at @addr (a gzip'd one is inflated there). */
static int load_image(uint64_t addr, uint64_t size, efi_handle_t *h)
{
	char what[300];
	int rc = fsload_check_ram(WHO, addr, size);

	if (rc) {
		return rc;
	}
	struct efi_device_path *path = image_device_path(addr, size, what, sizeof(what));
	xb_printf("Booting %pE\n", what);
	efi_status_t s = efi_image_load(NULL, path, arch_phys_to_virt(addr), size, h);
	if (s != EFI_SUCCESS) {
		xb_printf(WHO ": not loaded: %s\n", efi_status_name(s));
		rc = -ENOEXEC;
	}
	free(path);
	return rc;
}

/* bootefi bootmgr [<fdt>]: BootNext, then BootOrder; quiet when no
 * option exists (the distro scan tries it on every boot). */
static int do_bootmgr(int argc, char *argv[])
{
	uint64_t fdt;
	int rc;

	if (argc > 3 || (argc == 3 && cmd_parse_num(argv[2], &fdt))) {
		return CMD_RET_USAGE;
	}
	if ((rc = efi_start())) {
		xb_printf(WHO ": UEFI not available: %s\n", errno_name(rc));
		return CMD_RET_FAILURE;
	}
	if (argc == 3 && install_fdt(fdt)) {
		return CMD_RET_FAILURE;
	}
	rc = efi_bootmgr_run();
	if (rc && rc != -ENOENT) {
		xb_printf("EFI boot manager: no boot option booted (%s)\n", errno_name(rc));
	}
	return rc ? CMD_RET_FAILURE : 0;
}

static int do_bootefi(int argc, char *argv[])
{
	struct bootefi_args a;
	efi_handle_t h;
	int rc;

	if (argc >= 2 && strcmp(argv[1], "bootmgr") == 0) {
		return do_bootmgr(argc, argv);
	}
	rc = parse_args(argc, argv, &a);
	if (rc) {
		return rc;
	}
	rc = efi_start();
	if (rc) {
		xb_printf(WHO ": UEFI not available: %s\n", errno_name(rc));
		return rc;
	}
	if (a.has_fdt && (rc = install_fdt(a.fdt))) {
		return rc;
	}
	/* For the Linux stub: LoadFile2 on the LINUX_EFI_INITRD_MEDIA path. */
	if (a.has_initrd && ((rc = fsload_check_ram(WHO, a.initrd, a.initrd_size)) ||
			     (rc = efi_initrd_register(a.initrd, a.initrd_size)))) {
		return rc;
	}
	rc = load_image(a.image, a.size, &h);
	if (!rc && (rc = set_options(h))) {
		(void)efi_get()->bs.unload_image(h);
	}
	if (!rc) {
		rc = run_image(h);
	}
	if (a.has_initrd) {
		efi_initrd_unregister();
	}
	return rc;
}

const struct cmd cmd_bootefi = {
    .name = "bootefi",
    .usage = "<image>[:<size>] [<initrd>:<size>] [<fdt>] | bootmgr",
    .help = "run a UEFI application (GRUB, systemd-boot, Linux's EFI stub); size: $filesize",
    .run = do_bootefi,
};
