/* xenboot's UEFI layer: the one `struct efi` the tables reach, the handle
 * database, and the helpers every part of efi/ shares. The entry points
 * behind the tables are declared in <efi/services.h>.
 *
 * Handles are `struct efi_object *` on our side; an application hands them
 * back as opaque pointers, so every entry point checks a handle with
 * efi_object_of() before using it. */
#ifndef EFI_EFI_H
#define EFI_EFI_H

#include <efi/abi/tables.h>
#include <efi/guids.h>
#include <efi/runtime.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EFI_FIRMWARE_REVISION 0x00010000u
#define EFI_MAX_CONFIG_TABLES 16
#define EFI_PROTOCOLS_PER_HANDLE 8
#define EFI_OPENERS_PER_PROTOCOL 4

/* Who has a protocol open (OpenProtocol/CloseProtocol bookkeeping). */
struct efi_opener {
	efi_handle_t agent, controller;
	uint32_t attributes, count;
};

struct efi_protocol {
	efi_guid_t guid;
	void *iface;
	struct efi_opener openers[EFI_OPENERS_PER_PROTOCOL];
	unsigned int opener_count;
};

struct efi_object {
	uint32_t magic; /* EFI_OBJECT_MAGIC while on the list */
	struct efi_object *next;
	struct efi_protocol protocols[EFI_PROTOCOLS_PER_HANDLE];
	unsigned int protocol_count;
};
#define EFI_OBJECT_MAGIC 0x4a424f45u /* "EOBJ" */

struct efi_event; /* efi/bs_event.c */
struct efi_watchdog; /* efi/bs_time.c */
struct efi_loaded_image_obj; /* efi/bs_image.c */
struct efi_pool; /* efi/bs_memory.c */
struct efi_disk; /* efi/disks.c */
struct efi_file; /* efi/file.c */
struct efi_initrd; /* efi/initrd.c */

struct efi {
	bool is_started; /* tables built (efi_start()) */
	bool is_boot_services_exited;
	bool is_handed_off; /* handoff_xen() ran: PV devices gone */
	struct efi_system_table systab;
	struct efi_boot_services bs;
	struct efi_runtime_services rt;
	struct efi_configuration_table config[EFI_MAX_CONFIG_TABLES];
	struct efi_object *objects; /* every handle, newest first */
	efi_tpl_t tpl;
	struct efi_event *events; /* owner: efi/bs_event.c */
	struct efi_pool *pool; /* owner: efi/bs_memory.c */
	struct efi_watchdog *watchdog; /* owner: efi/bs_time.c; NULL until armed */
	struct efi_loaded_image_obj *running; /* the image StartImage is in, or NULL */
	struct efi_loaded_image_obj *images; /* every loaded image, owner: efi/bs_image.c */
	uint64_t monotonic; /* GetNextMonotonicCount */
	struct efi_disk *disks; /* disks and partitions published, owner: efi/disks.c */
	struct efi_file *files; /* open File protocols, owner: efi/file.c */
	struct efi_initrd *initrd; /* owner: efi/initrd.c */
	struct efi_runtime runtime; /* owner: efi/rt_*.c */
};

/** efi_get() - the one EFI state (in our image: it stays for runtime services). */
struct efi *efi_get(void);

/**
 * efi_start() - build the system table and its services once (idempotent):
 * console, disks and partitions, RNG and the device tree published. Returns 0
 * or -errno; bootefi and the boot manager call it before running an image.
 */
int __must_check efi_start(void);

/* The steps of efi_start(), each in its owner's file (efi/systab.c lists them). */
int __must_check efi_fdt_start(struct efi *e);
/* efi/disks.c: a handle per PV disk and per partition, with Device Path,
 * Block I/O, Disk I/O, and Simple File System where fs/ mounts it. */
int __must_check efi_disks_start(struct efi *e);

struct blk_part;
struct efi_device_path;

/**
 * efi_disk_file_path() - the device path an image loaded from file @file
 * (UTF-8, '/'-separated; NULL: none) of the disk or partition @w has:
 * the handle's path, then a file path node (what bootefi gives LoadImage
 * after `load`, so the image's DeviceHandle is its ESP). malloc()ed.
 * -ENOENT when @w is not published (efi_start() not run, not a PV disk).
 */
int __must_check efi_disk_file_path(const struct blk_part *w, const char *file,
				    struct efi_device_path **out);

/**
 * efi_path_file_size() / efi_path_file_read() - the file a device path
 * names (a published partition with a filesystem, then file path nodes),
 * for LoadImage without a buffer and the boot manager: its size, then
 * @size bytes of it into @buf (-EIO when it is shorter). -ENOENT, -EISDIR, -EINVAL (malformed path)
 * or an I/O error.
 */
int __must_check efi_path_file_size(const struct efi_device_path *path, uint64_t *size);
int __must_check efi_path_file_read(const struct efi_device_path *path, void *buf, uint64_t size);

/**
 * efi_initrd_register() - publish @size bytes at @addr as the Linux initrd
 * (a handle with the LINUX_EFI_INITRD_MEDIA device path and LoadFile2),
 * replacing one before. Returns 0, -EINVAL or -ENOMEM.
 */
int __must_check efi_initrd_register(uint64_t addr, uint64_t size);
/** efi_initrd_unregister() - withdraw it (nothing when none). */
void efi_initrd_unregister(void);
int __must_check efi_console_start(struct efi *e); /* efi/con_in.c */
int __must_check efi_rng_start(struct efi *e); /* efi/rng.c, after the device tree */

/**
 * efi_fdt_install() - publish a copy of the device tree at @fdt (untrusted:
 * checked) as the DTB configuration table, replacing the one before. The
 * copy is in EfiACPIReclaimMemory, with room for the OS's fix-ups. Returns 0,
 * -EINVAL (not a valid DT) or -ENOMEM.
 */
int __must_check efi_fdt_install(struct efi *e, const void *fdt);

/**
 * efi_boot_path() - the boot manager's boot of one option (efi/boot_path.c):
 * @path (untrusted; a short form from a hard drive or file path node is
 * expanded against our handles) loaded with BootPolicy TRUE, @options
 * (@options_size bytes of OptionalData) as its LoadOptions, BootCurrent set
 * to @option, started. Returns 0 when the image returned EFI_SUCCESS,
 * -EINVAL (malformed path), -ENOENT (nothing there), -ENOEXEC (not an
 * image), -ENOMEM, -EIO (the image returned an error).
 */
int efi_boot_path(const struct efi_device_path *path, const void *options, size_t options_size,
		  uint16_t option);

/**
 * efi_boot_start() - StartImage as a boot manager does it (efi/boot_path.c):
 * the five-minute watchdog armed and the ready-to-boot group signalled
 * first; after the image returned, the watchdog off and the console's
 * colours and cursor back. Returns StartImage's status (and exit data).
 */
efi_status_t efi_boot_start(efi_handle_t h, uint64_t *data_size, efi_char16_t **data);

/** efi_tables_update_crc() - recompute the three tables' CRC32 after a change. */
void efi_tables_update_crc(struct efi *e);

/** efi_status_of() - the EFI status for a 0 / -errno result. */
efi_status_t efi_status_of(int rc);

/** efi_status_name() - "EFI_NOT_FOUND" and so on, for messages. */
const char *efi_status_name(efi_status_t s);

/* ---- handle database (efi/object.c) */

/** efi_object_of() - @h if it is one of our live handles, else NULL. */
struct efi_object *efi_object_of(efi_handle_t h);

/**
 * efi_handle_create() - a new handle with no protocol (on the list). Returns
 * 0 or -ENOMEM.
 */
int __must_check efi_handle_create(struct efi_object **out);

/**
 * efi_protocol_add() - install @iface as @guid on @obj. -EEXIST if @obj has
 * @guid, -ENOSPC when it has EFI_PROTOCOLS_PER_HANDLE.
 */
int __must_check efi_protocol_add(struct efi_object *obj, const efi_guid_t *guid, void *iface);

/** efi_protocol_find() - the protocol entry of @guid on @obj, or NULL. */
struct efi_protocol *efi_protocol_find(struct efi_object *obj, const efi_guid_t *guid);

/** efi_protocol_of() - @guid's interface on handle @h (checked), or NULL. */
void *efi_protocol_of(efi_handle_t h, const efi_guid_t *guid);

/**
 * efi_handle_delete() - take @obj off the list and free it once it has no
 * protocol left. Returns 0 or -EBUSY (protocols still installed).
 */
int efi_handle_delete(struct efi_object *obj);

/** efi_config_table_set() - InstallConfigurationTable's work (NULL @table removes). */
efi_status_t efi_config_table_set(struct efi *e, const efi_guid_t *guid, void *table);

/* ---- UCS-2 strings (efi/string.c): bounded, never past @max units */

/** efi_strnlen16() - units before the NUL, at most @max. */
size_t efi_strnlen16(const efi_char16_t *s, size_t max);

/**
 * efi_utf8_to_ucs2() - convert NUL-terminated UTF-8 @src into @dst (@max units
 * with the NUL). Characters outside the BMP or bad bytes become '?'.
 * Returns the units written without the NUL, or -ENOSPC (truncated, still
 * terminated).
 */
int efi_utf8_to_ucs2(efi_char16_t *dst, size_t max, const char *src);

/**
 * efi_ucs2_to_utf8() - convert at most @max units of @src (stopping at a
 * NUL) into @dst (@size bytes with the NUL). Returns the bytes written
 * without the NUL, or -ENOSPC (truncated, still terminated).
 */
int efi_ucs2_to_utf8(char *dst, size_t size, const efi_char16_t *src, size_t max);

#endif
