/* EFI_SIMPLE_FILE_SYSTEM_PROTOCOL on a mounted partition, what GetInfo
 * says of the volume, and files named by a device path (LoadImage). fs/
 * keeps no free-cluster count or label we could trust cheaply: FreeSpace
 * is 0 and the label empty. */
#include <efi/devpath.h>
#include <efi/disk.h>
#include <lib/errno.h>
#include <string.h>

bool efi_volume_is_read_only(const struct efi_disk *d)
{
	return d->fs->kind != FS_KIND_FAT || d->window.dev->is_read_only;
}

static uint32_t volume_block_size(const struct efi_disk *d)
{
	return d->fs->kind == FS_KIND_FAT ? d->fs->u.fat.cluster_size : d->fs->u.ext4.block_size;
}

efi_status_t efi_volume_get_info(struct efi_disk *d, const efi_guid_t *type, uint64_t *size,
				 void *buf)
{
	bool is_label = efi_guid_eq(type, &efi_guid_file_system_volume_label);
	/* The info's fixed part, then an empty label (one NUL unit). */
	uint64_t need = is_label ? 2 : offsetof(struct efi_file_system_info, volume_label) + 2;
	struct efi_file_system_info info = {
	    .size = need,
	    .read_only = efi_volume_is_read_only(d),
	    .volume_size = blk_part_size(&d->window),
	    .free_space = 0,
	    .block_size = volume_block_size(d),
	};

	if (!is_label && !efi_guid_eq(type, &efi_guid_file_system_info)) {
		return EFI_UNSUPPORTED;
	}
	if (*size < need) {
		*size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!buf) {
		return EFI_INVALID_PARAMETER;
	}
	if (!is_label) {
		memcpy(buf, &info, offsetof(struct efi_file_system_info, volume_label));
	}
	memset((uint8_t *)buf + need - 2, 0, 2);
	*size = need;
	return EFI_SUCCESS;
}

static efi_status_t EFIAPI open_volume(struct efi_simple_file_system *self,
				       struct efi_file_protocol **root)
{
	struct efi_disk *d = efi_disk_of(self, offsetof(struct efi_disk, sfs));

	if (!d || !d->fs || !root) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(d)) {
		return EFI_DEVICE_ERROR;
	}
	return efi_file_open_root(d, root);
}

void efi_simple_fs_init(struct efi_disk *d)
{
	d->sfs = (struct efi_simple_file_system){
	    .revision = EFI_SIMPLE_FILE_SYSTEM_REVISION,
	    .open_volume = open_volume,
	};
}

/* The mounted volume whose path is the longest prefix of @path, and the
 * file the rest of @path names (UTF-8 into @file). */
static int volume_of_path(const struct efi_device_path *path, struct efi_disk **vol,
			  char file[FAT_PATH_MAX])
{
	size_t best = 0, matched;

	*vol = NULL;
	for (struct efi_disk *d = efi_get()->disks; d; d = d->next) {
		int rc = d->fs && efi_disk_is_usable(d)
			     ? efi_devpath_match_prefix(d->path, path, &matched)
			     : -ENOENT;

		if (rc == -EINVAL) {
			return rc;
		}
		if (rc == 0 && (!*vol || matched > best)) {
			*vol = d;
			best = matched;
		}
	}
	if (!*vol) {
		return -ENOENT;
	}
	return efi_devpath_file_utf8((const void *)((const uint8_t *)path + best), file,
				     FAT_PATH_MAX);
}

int efi_path_file_size(const struct efi_device_path *path, uint64_t *size)
{
	static char file[FAT_PATH_MAX];
	struct efi_disk *d;
	int rc = volume_of_path(path, &d, file);

	return rc ? rc : fs_size(d->fs, file, size);
}

int efi_path_file_read(const struct efi_device_path *path, void *buf, uint64_t size)
{
	static char file[FAT_PATH_MAX];
	struct efi_disk *d;
	size_t got;
	int rc = volume_of_path(path, &d, file);

	if (rc == 0 && size > SIZE_MAX) {
		rc = -EINVAL;
	}
	if (rc == 0) {
		rc = fs_read(d->fs, file, buf, 0, (size_t)size, &got);
	}
	return rc == 0 && got != size ? -EIO : rc;
}
