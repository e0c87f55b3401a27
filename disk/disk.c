/* Naming disks and partitions, U-Boot style, and probing the PV disks once
 * for every user (include/disk/disk.h). */
#include <disk/disk.h>
#include <drivers/blkfront.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <string.h>

static bool is_probed;
static void (*probe_hook)(void);

static bool is_prefixed(const char *s)
{
	return strncmp(s, "PARTLABEL=", 10) == 0 || strncmp(s, "PARTUUID=", 9) == 0;
}

int disk_rescan(void)
{
	int rc = blkfront_probe_all();

	is_probed = true;
	if (rc < 0) {
		xb_printf("pvblock: cannot enumerate disks: %s\n", errno_name(rc));
		return rc;
	}
	if (probe_hook) {
		probe_hook();
	}
	return (int)blkfront_count();
}

unsigned int disk_probe(void)
{
	if (!is_probed && disk_rescan() < 0) {
		return 0; /* reported there */
	}
	return blkfront_count();
}

void disk_set_probe_hook(void (*fn)(void))
{
	probe_hook = fn;
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

struct blk_dev *disk_dev(const char *who, const char *iface, const char *dev)
{
	bool is_pv = strcmp(iface, "pvblock") == 0;
	struct blk_dev *d = NULL;
	uint64_t n;

	if (!is_pv && strcmp(iface, "blk") != 0) {
		if (who) {
			xb_printf("%s: unknown interface '%pE' (pvblock or blk)\n", who, iface);
		}
		return NULL;
	}
	if (is_pv) {
		(void)disk_probe();
	}
	if (parse_u64(dev, 16, &n) == 0) {
		d = dev_by_index(is_pv, n);
	} else if (!is_pv || blkfront_find(dev)) {
		d = blk_find(dev);
	}
	if (!d && who) {
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
		if (who) {
			xb_printf("%s: bad device '%pE'\n", who, spec);
		}
		return -EINVAL;
	}
	memcpy(dev, spec, len);
	dev[len] = '\0';
	d = disk_dev(who, iface, dev);
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
		if (who) {
			xb_printf("%s: bad partition '%pE'\n", who, colon + 1);
		}
		return -EINVAL;
	}
	return 0;
}

int disk_part(const char *who, const char *iface, const char *spec, struct blk_part *out)
{
	char resolved[BLK_NAME_MAX + PART_NAME_MAX + 16];
	int rc;

	if (is_prefixed(spec)) {
		if (strcmp(iface, "pvblock") == 0) {
			(void)disk_probe();
		}
		xb_snprintf(resolved, sizeof(resolved), "%s", spec);
	} else {
		rc = part_spec(who, iface, spec, resolved, sizeof(resolved));
		if (rc) {
			return rc;
		}
	}
	rc = part_open(resolved, out);
	if (!who) {
		return rc;
	}
	if (rc == -ENOENT) {
		xb_printf("%s: no partition %pE\n", who, spec);
	} else if (rc) {
		xb_printf("%s: %s %pE: cannot read the partition table: %s\n", who, iface, spec,
			  errno_name(rc));
	}
	return rc;
}
