/* The default environment (include/boot/env_default.h).
 *
 * Load addresses. Everything goes into the largest free range of RAM bank 0
 * (the lowest bank) once xenboot, its heap, Xen's DTB (at RAM base + 128 MiB,
 * or at the top of bank 0 in a small guest: xen-abi.md §12.9) and any lost
 * page are taken out (<lib/memmap.h>). From the range's first 2 MiB
 * boundary `lo`:
 *
 *   lo + 0       fdt_addr_r         2 MiB  a DTB (booting Linux allows 2 MiB) and
 *                                          overlays applied in place
 *   lo + 2 MiB   scriptaddr         1 MiB  boot.scr
 *   lo + 3 MiB   pxefile_addr_r     1 MiB  extlinux.conf
 *   lo + 4 MiB   fdtoverlay_addr_r  4 MiB  one overlay at a time
 *   lo + 8 MiB   kernel_addr_r      64 MiB an Image up to 64 MiB, or an Image.gz
 *                (= loadaddr)              that booti inflates elsewhere
 *   lo + 72 MiB  ramdisk_addr_r     the rest of the range, for the initrd
 *
 * 512 MiB guest (DTB at 0x48000000): fdt_addr_r 0x48200000, kernel_addr_r
 * 0x48a00000, ramdisk_addr_r 0x4ca00000 with ~310 MiB for the initrd. A range
 * smaller than 104 MiB (a 128 MiB guest: about 106 MiB between the heap and
 * the DTB at the top) shrinks the kernel slot to half of what follows the
 * small slots; under 16 MiB the *_addr_r variables are left unset with one
 * warning, and a load without an address says so. The second bank of a big
 * guest stays free for booti, which may move the kernel anywhere.
 *
 * boot_targets is "pvblock0 pvblock1 ..." (U-Boot's naming), one per PV disk,
 * set when the disks are probed (disk_set_probe_hook()), unless a saved or
 * typed value replaced the computed one; bootcmd_pvblockN is
 * "distroboot pvblockN" for each. With the network built in, "pxe dhcp"
 * follow the disks, as in U-Boot's distro defaults: bootcmd_pxe gets a lease
 * and boots a PXELINUX config, bootcmd_dhcp gets a lease and runs the
 * script $boot_script_dhcp loaded by TFTP. Each returns non-zero when it
 * did not boot, so the scan goes on. */
#define LOG_PREFIX "env: "
#include <arch/arch.h>
#include <boot/env_default.h>
#include <disk/disk.h>
#include <drivers/blkfront.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/memmap.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <string.h>

#define SMALL_SLOTS (8 * MIB) /* fdt, script, pxefile, overlay */
#define KERNEL_SLOT (64 * MIB)
#define FULL_MIN (SMALL_SLOTS + KERNEL_SLOT + 32 * MIB)
#define RANGE_MIN (16 * MIB)

struct env_default {
	const char *name, *value;
};

static const struct env_default fixed[] = {
    {"bootdelay", "1"},
    {"boot_prefixes", "/ /boot/"},
    {"boot_scripts", "boot.scr.uimg boot.scr"},
    {"boot_syslinux_conf", "extlinux/extlinux.conf"},
    {"bootcmd", "run distro_bootcmd"},
    {"distro_bootcmd", "distroboot"},
#ifdef CONFIG_NET
    {"boot_script_dhcp", "boot.scr.uimg"},
    {"bootcmd_pxe", "dhcp; pxe get && pxe boot"},
    {"bootcmd_dhcp", "dhcp ${scriptaddr} ${boot_script_dhcp} && source ${scriptaddr}"},
#endif
};

/* Tried after the disks. */
#ifdef CONFIG_NET
#define NET_TARGETS "pxe dhcp"
#else
#define NET_TARGETS ""
#endif

static const char addr_names[][18] = {
    "fdt_addr_r",    "scriptaddr",     "pxefile_addr_r", "fdtoverlay_addr_r",
    "kernel_addr_r", "ramdisk_addr_r", "loadaddr",
};

/* The lowest RAM bank (Xen's GUEST_RAM0), or NULL. */
static const struct mem_range *bank0(const struct dtinfo *dt)
{
	const struct mem_range *b = NULL;

	for (unsigned int i = 0; dt && i < dt->bank_count; i++) {
		if (dt->banks[i].size && (!b || dt->banks[i].base < b->base)) {
			b = &dt->banks[i];
		}
	}
	return b;
}

/* The free range starting at @s (if @s is free) against *@best. */
static void consider(uint64_t s, const struct mem_range *b, struct mem_range *best)
{
	uint64_t end = b->base + b->size, stop = end, lo = ALIGN_UP(s, 2 * MIB);

	if (s < b->base || s >= end) {
		return;
	}
	for (unsigned int i = 0; i < memmap_count(); i++) {
		const struct memmap_region *r = memmap_at(i);

		if (s >= r->base && s < r->base + r->size) {
			return; /* busy */
		}
		if (r->base > s && r->base < stop) {
			stop = r->base;
		}
	}
	stop = ALIGN_DOWN(stop, PAGE_SIZE);
	if (stop > lo && stop - lo > best->size) {
		best->base = lo;
		best->size = stop - lo;
	}
}

int env_default_range(struct mem_range *out)
{
	const struct mem_range *b = bank0(dtinfo_get());

	out->base = out->size = 0;
	if (!b) {
		return -ENOENT;
	}
	/* A free range starts at the bank's start or where a busy region ends. */
	consider(b->base, b, out);
	for (unsigned int i = 0; i < memmap_count(); i++) {
		consider(memmap_at(i)->base + memmap_at(i)->size, b, out);
	}
	return out->size ? 0 : -ENOMEM;
}

int env_default_layout(struct env_layout *out)
{
	struct mem_range r;
	int rc = env_default_range(&r);

	memset(out, 0, sizeof(*out));
	if (rc || r.size < RANGE_MIN) {
		return rc ? rc : -ENOMEM;
	}
	uint64_t kslot =
	    r.size >= FULL_MIN ? KERNEL_SLOT : ALIGN_DOWN((r.size - SMALL_SLOTS) / 2, 2 * MIB);
	out->fdt = r.base;
	out->script = r.base + 2 * MIB;
	out->pxefile = r.base + 3 * MIB;
	out->overlay = r.base + 4 * MIB;
	out->kernel = r.base + SMALL_SLOTS;
	out->kernel_size = kslot;
	out->ramdisk = out->kernel + kslot;
	out->ramdisk_size = r.base + r.size - out->ramdisk;
	return 0;
}

static void unset(const char *name)
{
	if (env_set(name, NULL)) {
		log_warn("cannot unset %s\n", name); /* deleting only fails for a bad name */
	}
}

static int set_addresses(void)
{
	struct env_layout l;
	int rc = env_default_layout(&l);

	if (rc) {
		log_warn("no free RAM range of %llu MiB in bank 0: load addresses left unset\n",
			 (unsigned long long)(RANGE_MIN / MIB));
		for (size_t i = 0; i < ARRAY_SIZE(addr_names); i++) {
			unset(addr_names[i]);
		}
		return 0;
	}
	const uint64_t values[] = {l.fdt,    l.script,	l.pxefile, l.overlay,
				   l.kernel, l.ramdisk, l.kernel};

	for (size_t i = 0; i < ARRAY_SIZE(addr_names) && !rc; i++) {
		rc = env_set_u64(addr_names[i], values[i]);
	}
	return rc;
}

/* The boot_targets value computed last, to tell it from a user's. */
static char computed_targets[ENV_VALUE_MAX];

static void set_targets(void)
{
	char list[ENV_VALUE_MAX] = "", name[32], cmd[48];
	const char *cur = env_get("boot_targets");
	size_t n = 0;

	if (cur && strcmp(cur, computed_targets) != 0) {
		return; /* the user's choice stays */
	}
	for (unsigned int i = 0; i < blkfront_count(); i++) {
		xb_snprintf(name, sizeof(name), "bootcmd_pvblock%u", i);
		xb_snprintf(cmd, sizeof(cmd), "distroboot pvblock%u", i);
		n +=
		    (size_t)xb_snprintf(list + n, sizeof(list) - n, "%spvblock%u", n ? " " : "", i);
		if (env_set(name, cmd)) {
			log_warn("cannot set %s\n", name);
		}
	}
	if (NET_TARGETS[0]) {
		xb_snprintf(list + n, sizeof(list) - n, "%s" NET_TARGETS, n ? " " : "");
	}
	if (env_set("boot_targets", list)) {
		log_warn("cannot set boot_targets\n");
	}
	memcpy(computed_targets, list, sizeof(list));
}

int env_set_defaults(void)
{
	const struct dtinfo *dt = dtinfo_get();
	int rc = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(fixed) && !rc; i++) {
		rc = env_set(fixed[i].name, fixed[i].value);
	}
	if (!rc && dt && dt->fdt) {
		rc = env_set_u64("fdtcontroladdr", arch_virt_to_phys(dt->fdt));
	}
	if (!rc && dt && dt->bootargs) {
		rc = env_set("bootargs", dt->bootargs);
	}
	if (!rc) {
		rc = set_addresses();
	}
	computed_targets[0] = '\0';
	unset("boot_targets");
	set_targets();
	disk_set_probe_hook(set_targets);
	return rc;
}
