/* EFI_FILE_PROTOCOL over fs/ (include/efi/disk.h): a File is a path on a
 * mounted volume, looked up again at every call (fs/ keeps no open files).
 * Paths from the application ('\'-separated UCS-2, "." and "..") are
 * resolved here into fs/'s '/' paths; case follows fs/ (FAT ignores it).
 * Writing is FAT only: in place with fs_overwrite() inside the file, else
 * the whole file is read, changed and written back with fs_write(), up to
 * EFI_FILE_REWRITE_MAX bytes. Revision 1: the Ex functions are
 * EFI_UNSUPPORTED. */
#include <drivers/blkfront.h>
#include <efi/disk.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

static struct efi_file *file_of(struct efi_file_protocol *self)
{
	for (struct efi_file *f = efi_get()->files; self && f; f = f->next) {
		if (&f->proto == self) {
			return f;
		}
	}
	return NULL;
}

/* Append component @c (@len bytes) to @out (holding @o bytes, "" = root). */
static int path_push(char *out, size_t *o, const char *c, size_t len)
{
	if (len == 1 && c[0] == '.') {
		return 0;
	}
	if (len == 2 && c[0] == '.' && c[1] == '.') {
		if (*o == 0) {
			return -ENOENT; /* above the root */
		}
		while (out[--*o] != '/') {
		}
		return 0;
	}
	if (*o + 1 + len >= FAT_PATH_MAX) {
		return -ENAMETOOLONG;
	}
	out[(*o)++] = '/';
	memcpy(out + *o, c, len);
	*o += len;
	return 0;
}

/* @name ('/'-separated UTF-8) resolved against the directory @base. */
static int path_resolve(const char *base, const char *name, char out[FAT_PATH_MAX])
{
	size_t o = 0;

	if (name[0] != '/') {
		o = strcmp(base, "/") == 0 ? 0 : strlen(base);
		memcpy(out, base, o);
	}
	while (*name) {
		size_t len = strcspn(name, "/");
		int rc = len ? path_push(out, &o, name, len) : 0;

		if (rc) {
			return rc;
		}
		name += len + (name[len] == '/');
	}
	if (o == 0) {
		out[o++] = '/';
	}
	out[o] = '\0';
	return 0;
}

/* The directory a relative name starts from: @f itself, or a file's parent. */
static void base_dir(const struct efi_file *f, char out[FAT_PATH_MAX])
{
	strcpy(out, f->path);
	if (!f->is_dir) {
		char *slash = strrchr(out, '/');
		slash[slash == out ? 1 : 0] = '\0';
	}
}

static const struct efi_file_protocol file_ops;

static efi_status_t file_new(struct efi_disk *d, const char *path, bool is_dir, bool can_write,
			     struct efi_file_protocol **out)
{
	struct efi *e = efi_get();
	struct efi_file *f = calloc(1, sizeof(*f));

	if (!f) {
		return EFI_OUT_OF_RESOURCES;
	}
	f->proto = file_ops;
	f->vol = d;
	f->is_dir = is_dir;
	f->can_write = can_write;
	strcpy(f->path, path);
	f->next = e->files;
	e->files = f;
	*out = &f->proto;
	return EFI_SUCCESS;
}

efi_status_t efi_file_open_root(struct efi_disk *d, struct efi_file_protocol **out)
{
	return file_new(d, "/", true, false, out);
}

static efi_status_t fs_status(int rc)
{
	switch (rc) {
	case -ENOENT:
	case -ENOTDIR:
		return EFI_NOT_FOUND;
	case -ENAMETOOLONG:
	case -EINVAL:
		return EFI_INVALID_PARAMETER;
	case -ENOSPC:
		return EFI_VOLUME_FULL;
	case -EFBIG:
		return EFI_OUT_OF_RESOURCES;
	default:
		return efi_disk_io_status(rc);
	}
}

/* The application's UCS-2 @name as a '/'-separated UTF-8 path. */
static int name_utf8(const efi_char16_t *name, char *out, size_t size)
{
	size_t len = efi_strnlen16(name, FAT_PATH_MAX);

	if (len == FAT_PATH_MAX || efi_ucs2_to_utf8(out, size, name, len) < 0) {
		return -ENAMETOOLONG;
	}
	for (char *p = out; *p; p++) {
		*p = *p == '\\' ? '/' : *p;
	}
	return 0;
}

static bool is_mode_valid(uint64_t mode)
{
	return mode == EFI_FILE_MODE_READ || mode == (EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE) ||
	       mode == (EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE);
}

/* Create the empty file @path for Open(CREATE). */
static efi_status_t create(struct efi_disk *d, const char *path, uint64_t attributes)
{
	if (attributes & ~EFI_FILE_VALID_ATTR) {
		return EFI_INVALID_PARAMETER;
	}
	if (attributes & EFI_FILE_DIRECTORY) {
		return EFI_UNSUPPORTED; /* fs/ cannot make directories */
	}
	return fs_status(fs_write(d->fs, path, "", 0));
}

static efi_status_t EFIAPI file_open(struct efi_file_protocol *self,
				     struct efi_file_protocol **new_handle,
				     const efi_char16_t *name, uint64_t mode, uint64_t attributes)
{
	static char utf8[FAT_PATH_MAX], base[FAT_PATH_MAX], path[FAT_PATH_MAX];
	struct efi_file *f = file_of(self);
	bool can_write = mode & EFI_FILE_MODE_WRITE;
	bool is_dir;
	uint64_t size;
	int rc;

	if (!f || !new_handle || !name || !is_mode_valid(mode)) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(f->vol)) {
		return EFI_DEVICE_ERROR;
	}
	if (can_write && efi_volume_is_read_only(f->vol)) {
		return EFI_WRITE_PROTECTED;
	}
	base_dir(f, base);
	rc = name_utf8(name, utf8, sizeof(utf8));
	if (rc == 0) {
		rc = path_resolve(base, utf8, path);
	}
	if (rc == 0) {
		rc = efi_file_stat(f->vol, path, &is_dir, &size);
	}
	if (rc == -ENOENT && (mode & EFI_FILE_MODE_CREATE)) {
		efi_status_t s = create(f->vol, path, attributes);
		if (s != EFI_SUCCESS) {
			return s;
		}
		is_dir = false;
		rc = 0;
	}
	if (rc) {
		return fs_status(rc);
	}
	return file_new(f->vol, path, is_dir, can_write, new_handle);
}

static efi_status_t EFIAPI file_close(struct efi_file_protocol *self)
{
	struct efi_file *f = file_of(self);

	if (!f) {
		return EFI_INVALID_PARAMETER;
	}
	for (struct efi_file **p = &efi_get()->files; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	free(f);
	return EFI_SUCCESS;
}

void efi_files_close_all(struct efi *e)
{
	while (e->files) {
		struct efi_file *f = e->files;

		e->files = f->next;
		free(f);
	}
}

static efi_status_t EFIAPI file_delete(struct efi_file_protocol *self)
{
	struct efi_file *f = file_of(self);
	int rc = -EROFS;

	if (!f) {
		return EFI_INVALID_PARAMETER;
	}
	if (f->can_write && !f->is_dir && efi_disk_is_usable(f->vol)) {
		rc = fs_unlink(f->vol->fs, f->path);
	}
	(void)file_close(self);
	return rc ? EFI_WARN_DELETE_FAILURE : EFI_SUCCESS;
}

static efi_status_t EFIAPI file_read(struct efi_file_protocol *self, uint64_t *size, void *buf)
{
	struct efi_file *f = file_of(self);
	uint64_t file_size;
	size_t got;
	bool is_dir;
	int rc;

	if (!f || !size || (!buf && *size)) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(f->vol)) {
		return EFI_DEVICE_ERROR;
	}
	if (f->is_dir) {
		return efi_dir_read(f, size, buf);
	}
	rc = efi_file_stat(f->vol, f->path, &is_dir, &file_size);
	if (rc) {
		return fs_status(rc);
	}
	if (f->pos > file_size) {
		return EFI_DEVICE_ERROR; /* the spec's answer past the end */
	}
	size_t len = (size_t)MIN(*size, file_size - f->pos);
	rc = len ? fs_read(f->vol->fs, f->path, buf, f->pos, len, &got) : 0;
	if (rc) {
		return fs_status(rc);
	}
	*size = len ? got : 0;
	f->pos += *size;
	return EFI_SUCCESS;
}

/*
 * Give @f's file @new_size bytes with @len bytes of @buf at @at (inside
 * @new_size): read the whole file, change it, write it back.
 */
static int rewrite(struct efi_file *f, uint64_t old_size, uint64_t new_size, uint64_t at,
		   const void *buf, size_t len)
{
	size_t keep = (size_t)MIN(old_size, new_size), got = 0;
	uint8_t *data;
	int rc = 0;

	if (new_size > EFI_FILE_REWRITE_MAX) {
		return -EFBIG;
	}
	/* From the page allocator, not xenboot's heap (blkfront's pool grows there). */
	if (efi_bs_allocate_pool(EfiBootServicesData, new_size ? new_size : 1, (void **)&data) !=
	    EFI_SUCCESS) {
		return -ENOMEM;
	}
	memset(data, 0, (size_t)new_size);
	if (keep) {
		rc = fs_read(f->vol->fs, f->path, data, 0, keep, &got);
	}
	if (rc == 0 && got != keep) {
		rc = -EIO; /* the file shrank under us */
	}
	if (rc == 0) {
		if (len) {
			memcpy(data + at, buf, len);
		}
		rc = fs_write(f->vol->fs, f->path, data, (size_t)new_size);
	}
	(void)efi_bs_free_pool(data);
	return rc;
}

static efi_status_t EFIAPI file_write(struct efi_file_protocol *self, uint64_t *size,
				      const void *buf)
{
	struct efi_file *f = file_of(self);
	uint64_t file_size, end;
	bool is_dir;
	int rc;

	if (!f || !size || (!buf && *size)) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(f->vol)) {
		return EFI_DEVICE_ERROR;
	}
	if (f->is_dir) {
		return EFI_UNSUPPORTED;
	}
	if (!f->can_write) {
		return EFI_ACCESS_DENIED;
	}
	end = f->pos + *size;
	if (end < f->pos || *size > SIZE_MAX) {
		return EFI_INVALID_PARAMETER;
	}
	rc = efi_file_stat(f->vol, f->path, &is_dir, &file_size);
	if (rc == 0 && *size) {
		rc = end <= file_size ? fs_overwrite(f->vol->fs, f->path, f->pos, buf, *size)
				      : rewrite(f, file_size, end, f->pos, buf, *size);
	}
	if (rc) {
		*size = 0;
		return fs_status(rc);
	}
	f->pos = end;
	return EFI_SUCCESS;
}

static efi_status_t EFIAPI get_position(struct efi_file_protocol *self, uint64_t *pos)
{
	struct efi_file *f = file_of(self);

	if (!f || !pos) {
		return EFI_INVALID_PARAMETER;
	}
	if (f->is_dir) {
		return EFI_UNSUPPORTED;
	}
	*pos = f->pos;
	return EFI_SUCCESS;
}

static efi_status_t EFIAPI set_position(struct efi_file_protocol *self, uint64_t pos)
{
	struct efi_file *f = file_of(self);
	uint64_t size;
	bool is_dir;
	int rc;

	if (!f) {
		return EFI_INVALID_PARAMETER;
	}
	if (f->is_dir) {
		/* Only a rewind, to read the entries again. */
		if (pos != 0) {
			return EFI_UNSUPPORTED;
		}
		f->pos = 0;
		return EFI_SUCCESS;
	}
	if (pos == EFI_FILE_POSITION_END) {
		if (!efi_disk_is_usable(f->vol)) {
			return EFI_DEVICE_ERROR;
		}
		rc = efi_file_stat(f->vol, f->path, &is_dir, &size);
		if (rc) {
			return fs_status(rc);
		}
		pos = size;
	}
	f->pos = pos;
	return EFI_SUCCESS;
}

/* SetInfo(EFI_FILE_INFO): only the size can change (no rename in fs/). */
static efi_status_t set_file_info(struct efi_file *f, uint64_t size, const void *buf)
{
	struct efi_file_info info;
	uint64_t file_size;
	bool is_dir;
	int rc;

	if (size < sizeof(info)) {
		return EFI_BAD_BUFFER_SIZE;
	}
	memcpy(&info, buf, sizeof(info));
	if (info.size > size || info.size < sizeof(info) + sizeof(efi_char16_t) ||
	    (info.attribute & ~EFI_FILE_VALID_ATTR)) {
		return EFI_INVALID_PARAMETER;
	}
	if (!!(info.attribute & EFI_FILE_DIRECTORY) != f->is_dir) {
		return EFI_ACCESS_DENIED;
	}
	rc = efi_file_stat(f->vol, f->path, &is_dir, &file_size);
	if (rc || f->is_dir || info.file_size == file_size) {
		return fs_status(rc);
	}
	if (!f->can_write) {
		return EFI_ACCESS_DENIED;
	}
	return fs_status(rewrite(f, file_size, info.file_size, 0, NULL, 0));
}

static efi_status_t EFIAPI get_info(struct efi_file_protocol *self, const efi_guid_t *type,
				    uint64_t *size, void *buf)
{
	struct efi_file *f = file_of(self);
	uint64_t file_size;
	bool is_dir;
	int rc;

	if (!f || !type || !size) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(f->vol)) {
		return EFI_DEVICE_ERROR;
	}
	if (!efi_guid_eq(type, &efi_guid_file_info)) {
		return efi_volume_get_info(f->vol, type, size, buf);
	}
	rc = efi_file_stat(f->vol, f->path, &is_dir, &file_size);
	if (rc) {
		return fs_status(rc);
	}
	return efi_file_put_info(f->vol, strrchr(f->path, '/') + 1, f->is_dir, file_size, size,
				 buf);
}

static efi_status_t EFIAPI set_info(struct efi_file_protocol *self, const efi_guid_t *type,
				    uint64_t size, const void *buf)
{
	struct efi_file *f = file_of(self);

	if (!f || !type || !buf) {
		return EFI_INVALID_PARAMETER;
	}
	if (!efi_disk_is_usable(f->vol)) {
		return EFI_DEVICE_ERROR;
	}
	if (efi_guid_eq(type, &efi_guid_file_info)) {
		return set_file_info(f, size, buf);
	}
	if (efi_guid_eq(type, &efi_guid_file_system_info) ||
	    efi_guid_eq(type, &efi_guid_file_system_volume_label)) {
		return EFI_WRITE_PROTECTED; /* no label writing */
	}
	return EFI_UNSUPPORTED;
}

static efi_status_t EFIAPI file_flush(struct efi_file_protocol *self)
{
	struct efi_file *f = file_of(self);

	if (!f) {
		return EFI_INVALID_PARAMETER;
	}
	if (!f->can_write) {
		return EFI_ACCESS_DENIED;
	}
	if (!efi_disk_is_usable(f->vol)) {
		return EFI_DEVICE_ERROR;
	}
	/* fs/ writes through; only the backend's cache is left. */
	return f->vol->pv ? efi_disk_io_status(blkfront_flush(f->vol->pv)) : EFI_SUCCESS;
}

static efi_status_t EFIAPI open_ex(struct efi_file_protocol *self,
				   struct efi_file_protocol **new_handle, const efi_char16_t *name,
				   uint64_t mode, uint64_t attributes, struct efi_file_io_token *t)
{
	return EFI_UNSUPPORTED;
}

static efi_status_t EFIAPI io_ex(struct efi_file_protocol *self, struct efi_file_io_token *t)
{
	return EFI_UNSUPPORTED;
}

static const struct efi_file_protocol file_ops = {
    .revision = EFI_FILE_PROTOCOL_REVISION,
    .open = file_open,
    .close = file_close,
    .delete = file_delete,
    .read = file_read,
    .write = file_write,
    .get_position = get_position,
    .set_position = set_position,
    .get_info = get_info,
    .set_info = set_info,
    .flush = file_flush,
    .open_ex = open_ex,
    .read_ex = io_ex,
    .write_ex = io_ex,
    .flush_ex = io_ex,
};
