/* Naming disks and partitions from the shell, U-Boot style, and checking the
 * memory ranges the file commands read and write (include/cmd/fsarg.h). */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <cmd/fsarg.h>
#include <drivers/blkfront.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <string.h>

#define MIB (1024ULL * 1024)

/* The filesystem the commands share: about 9 KiB, so not on the stack. */
static struct fs shared_fs;

static bool is_prefixed(const char *s)
{
	return strncmp(s, "PARTLABEL=", 10) == 0 || strncmp(s, "PARTUUID=", 9) == 0;
}

/* The PV disks appear at the first command that needs them, as with
 * `pvblock`; probing again later only connects disks that came since. */
static void probe_pv(void)
{
	static bool is_probed;

	if (!is_probed) {
		is_probed = true;
		int rc = blkfront_probe_all();

		if (rc < 0) {
			xb_printf("pvblock: cannot enumerate disks: %s\n", errno_name(rc));
		}
	}
}

static struct blk_dev *dev_by_index(bool is_pv, uint64_t n)
{
	if (!is_pv) {
		return n < blk_count() ? blk_get((unsigned int)n) : NULL;
	}
	if (n >= blkfront_count()) {
		return NULL;
	}
	struct blkfront_info in;

	blkfront_get_info(blkfront_get((unsigned int)n), &in);
	return blk_find(in.name);
}

struct blk_dev *fsarg_dev(const char *who, const char *iface, const char *dev)
{
	bool is_pv = strcmp(iface, "pvblock") == 0;
	struct blk_dev *d = NULL;
	uint64_t n;

	if (!is_pv && strcmp(iface, "blk") != 0) {
		xb_printf("%s: unknown interface '%pE' (pvblock or blk)\n", who, iface);
		return NULL;
	}
	if (is_pv) {
		probe_pv();
	}
	if (parse_u64(dev, 16, &n) == 0) {
		d = dev_by_index(is_pv, n);
	} else if (!is_pv || blkfront_find(dev)) {
		d = blk_find(dev);
	}
	if (!d) {
		xb_printf("%s: no %s device '%pE'\n", who, iface, dev);
	}
	return d;
}

/* "<name>:<decimal part>" for part_open(), from "<dev>[:<part>]". */
static int part_spec(const char *who, const char *iface, const char *spec, char *out, size_t size)
{
	const char *colon = strchr(spec, ':');
	char dev[BLK_NAME_MAX];
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	struct blk_dev *d;
	uint64_t part;

	if (len == 0 || len >= sizeof(dev)) {
		xb_printf("%s: bad device '%pE'\n", who, spec);
		return -EINVAL;
	}
	memcpy(dev, spec, len);
	dev[len] = '\0';
	d = fsarg_dev(who, iface, dev);
	if (!d) {
		return -ENODEV;
	}
	if (!colon || colon[1] == '\0') {
		xb_snprintf(out, size, "%s", d->name);
	} else if (is_prefixed(colon + 1)) {
		xb_snprintf(out, size, "%s:%s", d->name, colon + 1);
	} else if (parse_u64(colon + 1, 16, &part) == 0 && part <= 0xffff) {
		/* U-Boot reads partition numbers as hex; part_open() as decimal. */
		xb_snprintf(out, size, "%s:%llu", d->name, (unsigned long long)part);
	} else {
		xb_printf("%s: bad partition '%pE'\n", who, colon + 1);
		return -EINVAL;
	}
	return 0;
}

int fsarg_part(const char *who, const char *iface, const char *spec, struct blk_part *out)
{
	char resolved[BLK_NAME_MAX + PART_NAME_MAX + 16];
	int rc;

	if (is_prefixed(spec)) {
		if (strcmp(iface, "pvblock") == 0) {
			probe_pv();
		}
		xb_snprintf(resolved, sizeof(resolved), "%s", spec);
	} else {
		rc = part_spec(who, iface, spec, resolved, sizeof(resolved));
		if (rc) {
			return rc;
		}
	}
	rc = part_open(resolved, out);
	if (rc == -ENOENT) {
		xb_printf("%s: no partition %pE\n", who, spec);
	} else if (rc) {
		xb_printf("%s: %s %pE: cannot read the partition table: %s\n", who, iface, spec,
			  errno_name(rc));
	}
	return rc;
}

int fsarg_mount(const char *who, const char *iface, const char *spec, struct fs **out)
{
	struct blk_part part;
	int rc = fsarg_part(who, iface, spec, &part);

	if (rc) {
		return rc;
	}
	rc = fs_mount(&shared_fs, &part);
	if (rc == -ENODEV) {
		xb_printf("%s: %s %pE: no ext2/3/4 or FAT filesystem\n", who, iface, spec);
	} else if (rc) {
		xb_printf("%s: %s %pE: filesystem unusable: %s\n", who, iface, spec,
			  errno_name(rc));
	}
	*out = &shared_fs;
	return rc;
}

int fsarg_check_ram(const char *who, uint64_t addr, uint64_t len)
{
	if (len && !dtinfo_is_ram(dtinfo_get(), addr, len)) {
		xb_printf("%s: 0x%llx..+0x%llx is not inside a RAM bank\n", who,
			  (unsigned long long)addr, (unsigned long long)len);
		return -EFAULT;
	}
	return 0;
}

int fsarg_check_load(const char *who, uint64_t addr, uint64_t len)
{
	struct memmap_region hit;
	int rc = memmap_check(addr, len, &hit);

	if (rc == -EFAULT) {
		return fsarg_check_ram(who, addr, len);
	}
	if (rc) {
		xb_printf("%s: 0x%llx..+0x%llx overlaps %s (0x%llx-0x%llx)\n", who,
			  (unsigned long long)addr, (unsigned long long)len,
			  memmap_kind_name(hit.kind), (unsigned long long)hit.base,
			  (unsigned long long)(hit.base + hit.size));
	}
	return rc ? -EFAULT : 0;
}

int fsarg_fs_error(const char *who, const char *path, int rc)
{
	const char *why = rc == -ENOENT	   ? "no such file or directory"
			  : rc == -EISDIR  ? "is a directory"
			  : rc == -ENOTDIR ? "not a directory"
			  : rc == -EROFS   ? "filesystem is read-only (only FAT can be written)"
					   : errno_name(rc);

	xb_printf("%s: %pE: %s\n", who, path, why);
	return rc;
}

void fsarg_print_rate(uint64_t bytes, uint64_t ns)
{
	uint64_t ms = ns / 1000000;

	xb_printf(" in %llu ms", (unsigned long long)ms);
	if (ns >= 1000) {
		/* From microseconds, so loads under a millisecond still get a rate. */
		uint64_t per_s = bytes * 1000000 / (ns / 1000);
		uint64_t tenths = per_s * 10 / MIB;

		if (per_s < MIB) {
			xb_printf(" (%llu KiB/s)", (unsigned long long)(per_s / 1024));
		} else {
			xb_printf(" (%llu.%llu MiB/s)", (unsigned long long)(tenths / 10),
				  (unsigned long long)(tenths % 10));
		}
	}
	xb_printf("\n");
}
