/* The disks EFI applications see (include/efi/disk.h): one handle per PV
 * disk, with a device path of our Xen vbd vendor node, and one per
 * partition below it (vbd node + hard drive node), each with Block I/O and
 * Disk I/O; a partition (or a disk without a table) that fs/ mounts also
 * gets Simple File System. */
#define LOG_PREFIX "efi: "
#include <disk/disk.h>
#include <disk/part.h>
#include <drivers/blkfront.h>
#include <efi/devpath.h>
#include <efi/disk.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

struct efi_disk *efi_disk_of(const void *iface, size_t offset)
{
	for (struct efi_disk *d = efi_get()->disks; iface && d; d = d->next) {
		if ((const uint8_t *)d + offset == iface) {
			return d;
		}
	}
	return NULL;
}

/* The fs/ mount of @w, or NULL (no filesystem we know). */
static struct fs *mount(const struct blk_part *w)
{
	struct fs *fs = malloc(sizeof(*fs));

	if (fs && fs_mount(fs, w) != 0) {
		free(fs);
		fs = NULL;
	}
	return fs;
}

static int install(struct efi_disk *d)
{
	int rc = efi_handle_create(&d->obj);

	if (rc == 0) {
		rc = efi_protocol_add(d->obj, &efi_guid_device_path, d->path);
	}
	if (rc == 0) {
		rc = efi_protocol_add(d->obj, &efi_guid_block_io, &d->block_io);
	}
	if (rc == 0) {
		rc = efi_protocol_add(d->obj, &efi_guid_disk_io, &d->disk_io);
	}
	if (rc == 0 && d->fs) {
		rc = efi_protocol_add(d->obj, &efi_guid_simple_file_system, &d->sfs);
	}
	return rc;
}

/* Publish the window @w with @path (taken over, freed on failure). */
static int disk_add(struct efi *e, const struct blk_part *w, struct blkfront_dev *pv,
		    struct efi_device_path *path, bool is_partition, bool is_mounted)
{
	struct efi_disk *d = calloc(1, sizeof(*d));

	if (!d) {
		free(path);
		return -ENOMEM;
	}
	d->window = *w;
	memcpy(d->dev_name, w->dev->name, sizeof(d->dev_name));
	d->dev_blocks = w->dev->block_count;
	d->pv = pv;
	d->path = path;
	efi_block_io_init(d);
	d->media.logical_partition = is_partition;
	efi_disk_io_init(d);
	if (is_mounted) {
		d->fs = mount(w);
		efi_simple_fs_init(d);
	}
	int rc = install(d);
	if (rc) {
		/* A fresh handle has room for these four: not reached in practice. */
		log_notice("%s: cannot publish: %s\n", w->dev->name, errno_name(rc));
		free(d->fs);
		free(path);
		free(d);
		return rc;
	}
	d->next = e->disks;
	e->disks = d;
	return 0;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" to GUID bytes (UEFI mixed-endian). */
static int guid_parse(const char *s, uint8_t out[16])
{
	static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	uint64_t byte;

	for (unsigned int i = 0; i < 16; i++) {
		if (*s == '-') {
			s++;
		}
		if (parse_u64_n(s, 2, 16, &byte)) {
			return -EINVAL;
		}
		out[order[i]] = (uint8_t)byte;
		s += 2;
	}
	return *s ? -EINVAL : 0;
}

static void hd_node(const struct part_table *t, const struct part_entry *p,
		    struct efi_dp_hard_drive *n)
{
	uint64_t sig;

	memset(n, 0, sizeof(*n));
	efi_dp_header(&n->hdr, EFI_DP_TYPE_MEDIA, EFI_DP_MEDIA_HARD_DRIVE, sizeof(*n));
	n->partition_number = p->number;
	n->partition_start = p->first_lba;
	n->partition_size = p->block_count;
	if (t->scheme == PART_SCHEME_GPT) {
		n->mbr_type = EFI_DP_HD_MBR_TYPE_GPT;
		n->signature_type =
		    guid_parse(p->partuuid, n->signature) ? EFI_DP_HD_SIG_NONE : EFI_DP_HD_SIG_GUID;
	} else {
		n->mbr_type = EFI_DP_HD_MBR_TYPE_PCAT;
		n->signature_type = EFI_DP_HD_SIG_MBR;
		if (parse_u64(t->disk_id, 16, &sig) || sig > UINT32_MAX) {
			sig = 0;
		}
		for (unsigned int i = 0; i < 4; i++) {
			n->signature[i] = (uint8_t)(sig >> (8 * i));
		}
	}
}

static int partitions_add(struct efi *e, struct blk_dev *dev, struct blkfront_dev *pv,
			  const struct efi_device_path *disk_path, const struct part_table *t)
{
	for (unsigned int i = 0; i < t->count; i++) {
		const struct part_entry *p = &t->entries[i];
		struct efi_device_path *path;
		struct efi_dp_hard_drive hd;
		struct blk_part w;
		int rc;

		if (blk_part_init(&w, dev, p->first_lba, p->block_count) || p->block_count == 0) {
			continue; /* part_scan() checked it: not reached */
		}
		hd_node(t, p, &hd);
		rc = efi_devpath_append_node(disk_path, &hd, &path);
		if (rc == 0) {
			rc = disk_add(e, &w, pv, path, true, true);
		}
		if (rc) {
			return rc;
		}
	}
	return 0;
}

/* vbd id from "device/vbd/<id>", else the virtual-device number. */
static uint32_t vbd_id(const struct blkfront_info *in)
{
	const char *slash = strrchr(in->nodename, '/');
	uint64_t id;

	if (slash && parse_u64(slash + 1, 10, &id) == 0 && id <= UINT32_MAX) {
		return (uint32_t)id;
	}
	return in->vdev;
}

static int pv_disk_add(struct efi *e, struct blkfront_dev *pv, struct part_table *t)
{
	struct efi_device_path *path;
	struct blkfront_info in;
	struct blk_part whole;
	struct blk_dev *dev;
	int rc;

	blkfront_get_info(pv, &in);
	dev = blk_find(in.name);
	if (!dev || in.is_broken || dev->block_count == 0) {
		return -ENODEV;
	}
	blk_part_whole(&whole, dev);
	if (part_scan(dev, t) != 0) {
		t->scheme = PART_SCHEME_NONE; /* reported by part_scan(); the disk stays */
		t->count = 0;
	}
	rc = efi_devpath_xen_vbd(vbd_id(&in), &path);
	if (rc == 0) {
		rc = disk_add(e, &whole, pv, path, false, t->scheme == PART_SCHEME_NONE);
	}
	return rc ? rc : partitions_add(e, dev, pv, path, t);
}

int efi_disks_start(struct efi *e)
{
	struct part_table *t;
	unsigned int n = disk_probe();

	if (n == 0) {
		return 0;
	}
	t = malloc(sizeof(*t)); /* about 24 KiB */
	if (!t) {
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct blkfront_dev *pv = blkfront_get(i);
		int rc = pv ? pv_disk_add(e, pv, t) : -ENODEV;

		if (rc) {
			log_notice("PV disk %u not published: %s\n", i, errno_name(rc));
		}
	}
	free(t);
	return 0;
}

int efi_disk_file_path(const struct blk_part *w, const char *file, struct efi_device_path **out)
{
	static char abs[FAT_PATH_MAX];
	struct efi_device_path *node;
	int rc;

	for (struct efi_disk *d = efi_get()->disks; d; d = d->next) {
		if (d->window.dev != w->dev || d->window.first_lba != w->first_lba ||
		    d->window.block_count != w->block_count) {
			continue;
		}
		if (!file) {
			return efi_devpath_append(d->path, NULL, out);
		}
		/* U-Boot's `load` takes "efi/boot/x.efi": the node names it from the root. */
		if (xb_snprintf(abs, sizeof(abs), "%s%s", file[0] == '/' ? "" : "/", file) >=
		    (int)sizeof(abs)) {
			return -ENAMETOOLONG;
		}
		rc = efi_devpath_file(abs, &node);
		if (rc == 0) {
			rc = efi_devpath_append(d->path, node, out);
			free(node);
		}
		return rc;
	}
	return -ENOENT;
}

void efi_disks_stop(struct efi *e)
{
	efi_files_close_all(e);
	while (e->disks) {
		struct efi_disk *d = e->disks;

		e->disks = d->next;
		/* Ours alone: no application runs while they go. */
		d->obj->protocol_count = 0;
		(void)efi_handle_delete(d->obj);
		free(d->fs);
		free(d->path);
		free(d);
	}
}
