/* Directory reads and EFI_FILE_INFO for the File protocol (efi/file.c):
 * one entry per Read, as fs_ls() lists them. */
#include <efi/disk.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

int efi_file_stat(struct efi_disk *d, const char *path, bool *is_dir, uint64_t *size)
{
	int rc;

	*size = 0;
	*is_dir = strcmp(path, "/") == 0;
	if (*is_dir) {
		return 0;
	}
	rc = fs_size(d->fs, path, size);
	if (rc == -EISDIR) {
		*is_dir = true;
		*size = 0;
		return 0;
	}
	/* A missing parent directory is "not found" too. */
	return rc == -ENOTDIR ? -ENOENT : rc;
}

efi_status_t efi_file_put_info(const struct efi_disk *d, const char *name, bool is_dir,
			       uint64_t file_size, uint64_t *size, void *buf)
{
	static efi_char16_t units[FAT_NAME_MAX];
	uint32_t unit = d->media.block_size;
	int n = efi_utf8_to_ucs2(units, ARRAY_SIZE(units), name);
	struct efi_file_info info = {
	    .file_size = file_size,
	    .physical_size = (file_size + unit - 1) / unit * unit,
	    .attribute = is_dir ? EFI_FILE_DIRECTORY : 0,
	};

	if (n < 0) {
		return EFI_DEVICE_ERROR; /* fs/ names fit: not reached */
	}
	info.size = sizeof(info) + ((uint64_t)n + 1) * sizeof(efi_char16_t);
	if (*size < info.size) {
		*size = info.size;
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!buf) {
		return EFI_INVALID_PARAMETER;
	}
	/* @buf has the application's alignment: copied, never cast. */
	memcpy(buf, &info, sizeof(info));
	memcpy((uint8_t *)buf + sizeof(info), units, ((size_t)n + 1) * sizeof(efi_char16_t));
	*size = info.size;
	return EFI_SUCCESS;
}

/* The entry fs_ls() lists at position @want. */
struct dir_pick {
	uint64_t want, at;
	bool is_found;
	enum fs_node type;
	uint64_t size;
	char name[FAT_NAME_MAX];
};

static int pick(void *arg, const struct fs_dirent *ent)
{
	struct dir_pick *p = arg;

	if (p->at++ != p->want) {
		return 0;
	}
	p->is_found = true;
	p->type = ent->type;
	p->size = ent->size;
	xb_snprintf(p->name, sizeof(p->name), "%s", ent->name);
	return 1;
}

efi_status_t efi_dir_read(struct efi_file *f, uint64_t *size, void *buf)
{
	static struct dir_pick p;
	static char full[FAT_PATH_MAX + FAT_NAME_MAX];
	bool is_dir;
	int rc;

	p = (struct dir_pick){.want = f->pos};
	rc = fs_ls(f->vol->fs, f->path, pick, &p);
	if (rc) {
		return efi_disk_io_status(rc);
	}
	if (!p.is_found) {
		*size = 0; /* the end of the directory */
		return EFI_SUCCESS;
	}
	is_dir = p.type == FS_NODE_DIR;
	if (p.type == FS_NODE_SYMLINK) {
		/* What it leads to (after the listing: fs/ is not reentrant). */
		xb_snprintf(full, sizeof(full), "%s/%s", strcmp(f->path, "/") ? f->path : "",
			    p.name);
		if (efi_file_stat(f->vol, full, &is_dir, &p.size)) {
			is_dir = false;
			p.size = 0;
		}
	}
	efi_status_t s = efi_file_put_info(f->vol, p.name, is_dir, is_dir ? 0 : p.size, size, buf);
	if (s == EFI_SUCCESS) {
		f->pos++;
	}
	return s;
}
