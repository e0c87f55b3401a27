/* The disks and partitions xenboot publishes to EFI applications (one
 * struct efi_disk per handle), shared by efi/disks.c (enumeration),
 * efi/block_io.c, efi/disk_io.c, efi/simple_fs.c and efi/file.c. */
#ifndef EFI_DISK_H
#define EFI_DISK_H

#include <disk/blk.h>
#include <efi/abi/block_io.h>
#include <efi/abi/file.h>
#include <efi/efi.h>
#include <fs/fs.h>

#define EFI_DISK_MEDIA_ID 1u

struct blkfront_dev;

struct efi_disk {
	/* The interfaces an application holds: it hands them back as `self`,
	 * which efi_disk_of() checks against this list. */
	struct efi_block_io block_io;
	struct efi_block_io_media media;
	struct efi_disk_io disk_io;
	struct efi_simple_file_system sfs;
	struct blk_part window; /* the whole disk or one partition */
	/* What the device was when published: `pvblock shutdown` / `scan`
	 * between two images may drop it or put another disk in its place. */
	char dev_name[BLK_NAME_MAX];
	uint64_t dev_blocks;
	struct blkfront_dev *pv; /* the PV disk (flush), or NULL */
	struct efi_object *obj;
	struct efi_device_path *path; /* malloc()ed */
	struct fs *fs; /* mounted when it holds a filesystem, else NULL */
	struct efi_disk *next;
};

/**
 * efi_disk_of() - the disk whose member at @offset is @iface (an
 * application's `self`), or NULL when it is not one of ours.
 */
struct efi_disk *efi_disk_of(const void *iface, size_t offset);

/**
 * efi_disks_stop() - withdraw every disk handle efi_disks_start() made and
 * close every File (tests; a later start publishes them again).
 */
void efi_disks_stop(struct efi *e);
/** efi_files_close_all() - close every open File. */
void efi_files_close_all(struct efi *e);

/* Fill in each protocol of @d (the window and media set). */
void efi_block_io_init(struct efi_disk *d);
void efi_disk_io_init(struct efi_disk *d);
void efi_simple_fs_init(struct efi_disk *d);

/**
 * efi_disk_is_usable() - can @d do I/O: boot services still up, and its
 * device still the one registered under its name, not broken?
 */
bool efi_disk_is_usable(const struct efi_disk *d);

/**
 * efi_disk_check() - the checks Block I/O and Disk I/O share: services
 * still up, @media_id current. EFI_SUCCESS or the status to return.
 */
efi_status_t efi_disk_check(const struct efi_disk *d, uint32_t media_id);

/** efi_disk_io_status() - the EFI status of a block-layer I/O result. */
efi_status_t efi_disk_io_status(int rc);

/* ---- Simple File System and File (efi/simple_fs.c, efi/file.c, efi/file_dir.c) */

/* The whole file is rewritten to grow or shrink it (fs/ has no in-place
 * extension): files larger than this cannot be grown through EFI. */
#define EFI_FILE_REWRITE_MAX (8u << 20)

/* An open EFI_FILE_PROTOCOL: the path of a file or directory of a volume. */
struct efi_file {
	struct efi_file_protocol proto; /* what the application holds */
	struct efi_disk *vol;
	struct efi_file *next;
	bool is_dir;
	bool can_write; /* opened with EFI_FILE_MODE_WRITE */
	uint64_t pos; /* files: byte offset; directories: entry index */
	char path[FAT_PATH_MAX]; /* "/" or "/dir/name", UTF-8 */
};

/** efi_file_open_root() - a new File for the root directory of @d. */
efi_status_t efi_file_open_root(struct efi_disk *d, struct efi_file_protocol **out);

/** efi_volume_is_read_only() - can nothing be written on @d's filesystem? */
bool efi_volume_is_read_only(const struct efi_disk *d);

/** efi_volume_get_info() - GetInfo for EFI_FILE_SYSTEM_INFO or the volume label. */
efi_status_t efi_volume_get_info(struct efi_disk *d, const efi_guid_t *type, uint64_t *size,
				 void *buf);

/**
 * efi_file_stat() - is @path on @d a directory, and the size of a file.
 * -ENOENT when it does not exist, or the filesystem's error.
 */
int __must_check efi_file_stat(struct efi_disk *d, const char *path, bool *is_dir, uint64_t *size);

/**
 * efi_file_put_info() - the EFI_FILE_INFO of @name (UTF-8) into @buf
 * (*@size bytes, any alignment): EFI_BUFFER_TOO_SMALL with *@size the
 * bytes needed, else *@size the bytes written.
 */
efi_status_t efi_file_put_info(const struct efi_disk *d, const char *name, bool is_dir,
			       uint64_t file_size, uint64_t *size, void *buf);

/** efi_dir_read() - Read on a directory: its next entry as an EFI_FILE_INFO. */
efi_status_t efi_dir_read(struct efi_file *f, uint64_t *size, void *buf);

#endif
