/* Loading an extlinux label (include/boot/extlinux_boot.h). Every file comes
 * from the guest's disk: sizes are checked against free RAM before a byte is
 * written (fsload_file()), a DTB or overlay is checked whole by libfdt
 * before libfdt edits it, and the DTB never grows past EXTLINUX_FDT_ROOM. */
#include <arch/arch.h>
#include <boot/extlinux_boot.h>
#include <fs/fsload.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <libfdt.h>
#include <string.h>

/* $name as an address (hex, 0x optional, as U-Boot reads it). */
static int env_addr(const char *who, const char *name, uint64_t *out)
{
	const char *v = env_get(name);

	if (v && (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))) {
		v += 2;
	}
	if (!v || parse_u64(v, 16, out)) {
		if (who) {
			xb_printf("%s: $%s is %s\n", who, name, v ? "not a number" : "not set");
		}
		return -EINVAL;
	}
	return 0;
}

/* fdt, else fdtdir + $fdtfile (a DTB the guest chose), else Xen's DT. */
static int plan_fdt(const char *who, const struct extlinux_label *l, struct extlinux_plan *p)
{
	const char *file = env_get("fdtfile");
	char dir[EXTLINUX_PATH_MAX + 1];

	if (l->fdt[0]) {
		memcpy(p->fdt, l->fdt, sizeof(p->fdt));
	} else if (l->fdtdir[0] && file) {
		xb_snprintf(dir, sizeof(dir), "%s/", l->fdtdir);
		if (extlinux_path(dir, file, p->fdt, sizeof(p->fdt))) {
			xb_printf("%s: %s/%pE: path too long\n", who, l->fdtdir, file);
			return -EINVAL;
		}
		p->is_fdt_optional = true;
	}
	p->has_overlays = l->fdtoverlays[0] != '\0';
	if (p->has_overlays && env_addr(NULL, "fdtoverlay_addr_r", &p->overlay_addr)) {
		p->overlay_addr = 0;
	}
	if (p->fdt[0] || (p->has_overlays && p->overlay_addr)) {
		return env_addr(who, "fdt_addr_r", &p->fdt_addr);
	}
	return 0;
}

int extlinux_plan(const char *who, const struct extlinux_label *l, struct extlinux_plan *out)
{
	memset(out, 0, sizeof(*out));
	out->label = l;
	if (l->bad) {
		xb_printf("%s: label %pE: %s\n", who, l->name, l->bad);
		return -EINVAL;
	}
	if (l->is_localboot) {
		return -ENOENT;
	}
	if (!l->kernel[0]) {
		xb_printf("%s: label %pE: no kernel\n", who, l->name);
		return -EINVAL;
	}
	if (env_addr(who, "kernel_addr_r", &out->kernel_addr) ||
	    (l->initrd[0] && env_addr(who, "ramdisk_addr_r", &out->initrd_addr))) {
		return -EINVAL;
	}
	return plan_fdt(who, l, out);
}

static int fs_load(void *ctx, const char *who, const char *path, uint64_t addr, uint64_t *size)
{
	return fsload_file(who, ctx, path, addr, 0, 0, size);
}

struct extlinux_files extlinux_fs_files(struct fs *fs)
{
	return (struct extlinux_files){.load = fs_load, .ctx = fs};
}

static int load(const char *who, const struct extlinux_files *src, const char *path, uint64_t addr,
		uint64_t *size)
{
	xb_printf("Retrieving file: %pE\n", path);
	return src->load(src->ctx, who, path, addr, size);
}

/* The base for overlays when the label has no DTB: a copy of Xen's. */
static int copy_xen_fdt(const char *who, const struct extlinux_plan *p, struct extlinux_loaded *ld)
{
	const struct dtinfo *dt = dtinfo_get();

	if (!dt || !dt->fdt || fsload_check(who, p->fdt_addr, dt->fdt_size)) {
		return -EFAULT;
	}
	memmove(arch_phys_to_virt(p->fdt_addr), dt->fdt, dt->fdt_size);
	ld->fdt_size = dt->fdt_size;
	ld->has_fdt = true;
	return 0;
}

/* One overlay onto the DTB at p->fdt_addr. 1: skipped (noted), 0, -errno. */
static int apply_one(const char *who, const struct extlinux_files *src,
		     const struct extlinux_plan *p, const char *path, struct extlinux_loaded *ld)
{
	void *base = arch_phys_to_virt(p->fdt_addr), *ovl = arch_phys_to_virt(p->overlay_addr);
	uint64_t size;
	int rc;

	xb_printf("Retrieving file: %pE\n", path);
	rc = src->load(src->ctx, NULL, path, p->overlay_addr, &size);
	if (rc) {
		/* U-Boot goes on without an overlay it cannot load. */
		xb_printf("%s: overlay %pE skipped: %s\n", who, path, errno_name(rc));
		return 1;
	}
	if (fdt_check_full(ovl, size)) {
		xb_printf("%s: %pE: not a device tree overlay, skipped\n", who, path);
		return 1;
	}
	uint64_t room = (uint64_t)fdt_totalsize(base) + size + 4096;
	if (room > EXTLINUX_FDT_ROOM || fsload_check(who, p->fdt_addr, room)) {
		xb_printf("%s: %pE: no room to apply it\n", who, path);
		return -ENOSPC;
	}
	rc = fdt_open_into(base, base, (int)room);
	if (!rc) {
		rc = fdt_overlay_apply(base, ovl);
	}
	if (rc) {
		/* libfdt leaves the base half-edited: this label cannot boot. */
		xb_printf("%s: overlay %pE: %s\n", who, path, fdt_strerror(rc));
		return -EINVAL;
	}
	ld->fdt_size = fdt_totalsize(base);
	return 0;
}

static int apply_overlays(const char *who, const struct extlinux_files *src,
			  const struct extlinux_plan *p, struct extlinux_loaded *ld)
{
	char list[EXTLINUX_LIST_MAX], *save = NULL;
	int rc;

	if (!p->has_overlays) {
		return 0;
	}
	if (!p->overlay_addr) {
		xb_printf("%s: $fdtoverlay_addr_r not set: overlays skipped\n", who);
		return 0;
	}
	rc = ld->has_fdt ? 0 : copy_xen_fdt(who, p, ld);
	if (rc) {
		return rc;
	}
	if (fdt_check_full(arch_phys_to_virt(p->fdt_addr), ld->fdt_size)) {
		xb_printf("%s: the DTB at 0x%llx is not valid: overlays skipped\n", who,
			  (unsigned long long)p->fdt_addr);
		return -EINVAL;
	}
	memcpy(list, p->label->fdtoverlays, sizeof(list));
	for (char *path = strtok_r(list, " ", &save); path; path = strtok_r(NULL, " ", &save)) {
		rc = apply_one(who, src, p, path, ld);
		if (rc < 0) {
			return rc;
		}
	}
	return fdt_pack(arch_phys_to_virt(p->fdt_addr)) ? -EINVAL : 0;
}

static int load_fdt(const char *who, const struct extlinux_files *src,
		    const struct extlinux_plan *p, struct extlinux_loaded *ld)
{
	if (!p->fdt[0]) {
		return 0;
	}
	/* A missing fdtdir DTB is not fatal in U-Boot: Xen's DT is used. */
	int rc = load(p->is_fdt_optional ? NULL : who, src, p->fdt, p->fdt_addr, &ld->fdt_size);
	if (rc && p->is_fdt_optional) {
		xb_printf("%s: skipping fdtdir %pE: %s\n", who, p->label->fdtdir, errno_name(rc));
		return 0;
	}
	ld->has_fdt = rc == 0;
	return rc;
}

static int set_bootargs(const char *who, const struct extlinux_label *l)
{
	char expanded[ENV_VALUE_MAX];
	int rc;

	if (!l->has_append) {
		return 0;
	}
	rc = env_expand(l->append, expanded, sizeof(expanded));
	if (!rc) {
		rc = env_set("bootargs", expanded);
	}
	if (rc) {
		xb_printf("%s: label %pE: append too long after expansion\n", who, l->name);
	}
	return rc;
}

/* A file longer than its slot runs into the next one's load: refuse what
 * was overwritten instead of booting it. */
static int check_overlap(const char *who, const struct extlinux_plan *p,
			 const struct extlinux_loaded *ld)
{
	const struct {
		const char *name;
		uint64_t addr, size;
	} r[] = {{"kernel", p->kernel_addr, ld->kernel_size},
		 {"initrd", p->initrd_addr, ld->initrd_size},
		 {"fdt", p->fdt_addr, ld->has_fdt ? ld->fdt_size : 0}};

	for (size_t i = 0; i < ARRAY_SIZE(r); i++) {
		for (size_t j = i + 1; j < ARRAY_SIZE(r); j++) {
			if (r[i].size && r[j].size && r[i].addr < r[j].addr + r[j].size &&
			    r[j].addr < r[i].addr + r[i].size) {
				xb_printf("%s: %s (0x%llx+0x%llx) and %s (0x%llx+0x%llx) overlap: "
					  "move $%s\n",
					  who, r[i].name, (unsigned long long)r[i].addr,
					  (unsigned long long)r[i].size, r[j].name,
					  (unsigned long long)r[j].addr,
					  (unsigned long long)r[j].size,
					  j == 1 ? "ramdisk_addr_r" : "fdt_addr_r");
				return -EFAULT;
			}
		}
	}
	return 0;
}

int extlinux_load(const char *who, const struct extlinux_files *src, const struct extlinux_plan *p,
		  struct extlinux_loaded *out)
{
	const struct extlinux_label *l = p->label;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = load(who, src, l->kernel, p->kernel_addr, &out->kernel_size);
	if (!rc && l->initrd[0]) {
		rc = load(who, src, l->initrd, p->initrd_addr, &out->initrd_size);
	}
	if (!rc) {
		rc = load_fdt(who, src, p, out);
	}
	if (!rc) {
		rc = apply_overlays(who, src, p, out);
	}
	if (!rc) {
		rc = check_overlap(who, p, out);
	}
	if (!rc) {
		rc = set_bootargs(who, l);
	}
	if (!rc) {
		extlinux_booti_argv(p, out);
	}
	return rc;
}

void extlinux_booti_argv(const struct extlinux_plan *p, struct extlinux_loaded *ld)
{
	int n = 0;

	ld->argv[n++] = "booti";
	xb_snprintf(ld->args[0], sizeof(ld->args[0]), "%llx", (unsigned long long)p->kernel_addr);
	ld->argv[n++] = ld->args[0];
	if (p->label->initrd[0]) {
		xb_snprintf(ld->args[1], sizeof(ld->args[1]), "%llx:%llx",
			    (unsigned long long)p->initrd_addr,
			    (unsigned long long)ld->initrd_size);
	} else {
		xb_snprintf(ld->args[1], sizeof(ld->args[1]), "-");
	}
	ld->argv[n++] = ld->args[1];
	if (ld->has_fdt) {
		xb_snprintf(ld->args[2], sizeof(ld->args[2]), "%llx",
			    (unsigned long long)p->fdt_addr);
		ld->argv[n++] = ld->args[2];
	}
	ld->argv[n] = NULL;
	ld->argc = n;
}
