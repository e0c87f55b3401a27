/* The UEFI variable store (UEFI 2.10 §8.2): every variable, volatile or
 * not, in one caller-given byte buffer.
 *
 * The buffer holds a small header and then the entries, each encoded as
 * EBBR's variable file entry (EBBR chapter "File Format For Storing EFI
 * Variables"; efi/varfile.c writes that file):
 *
 *   le32 data_size | le32 attributes | le64 timestamp (0) | guid[16] |
 *   UCS-2 name with its NUL | data | NUL padding to a multiple of 8
 *
 * Only offsets are kept, never pointers, so the store works wherever the
 * buffer is mapped: the runtime services run it inside Linux after
 * SetVirtualAddressMap. Its code does not print or allocate.
 *
 * Names and GUIDs are byte arrays (UCS-2 little-endian, 16-byte GUIDs):
 * callers may pass unaligned buffers. Every argument except @store is
 * untrusted; NULL checks on the EFI pointers are the caller's.
 *
 * Errors, and the EFI status they map to (efi_status_of()):
 *   -ENOENT     EFI_NOT_FOUND           no such (visible) variable / end of list
 *   -EOVERFLOW  EFI_BUFFER_TOO_SMALL    the size needed is written back
 *   -ENOSPC     EFI_OUT_OF_RESOURCES    the store (or its non-volatile part) is full
 *   -EINVAL     EFI_INVALID_PARAMETER   bad name, attribute combination, size,
 *                                       or (next) a name/GUID that is not a variable
 *   -EPERM      EFI_WRITE_PROTECTED     read-only variable, or a volatile one
 *                                       after ExitBootServices (UEFI §8.2 SetVariable)
 *   -EOPNOTSUPP EFI_UNSUPPORTED         EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS
 *                                       (deprecated: UEFI 2.10 says EFI_UNSUPPORTED)
 * The other attributes we do not support (HARDWARE_ERROR_RECORD, the
 * time-based and enhanced authenticated writes) are -EINVAL, an invalid
 * combination on this platform, as EDK2 answers when they are disabled;
 * we publish no HwErrRecSupport variable (UEFI appendix P). */
#ifndef EFI_VARSTORE_H
#define EFI_VARSTORE_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EFI_VARIABLE_NON_VOLATILE 0x01u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x02u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x04u
#define EFI_VARIABLE_HARDWARE_ERROR_RECORD 0x08u
#define EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS 0x10u
#define EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS 0x20u
#define EFI_VARIABLE_APPEND_WRITE 0x40u
#define EFI_VARIABLE_ENHANCED_AUTHENTICATED_ACCESS 0x80u

/* Ours, never reported: only a VARSTORE_FIRMWARE write may change it. */
#define VARSTORE_ATTR_READ_ONLY 0x80000000u

/* varstore_set() flags. */
#define VARSTORE_FIRMWARE 1u /* xenboot itself: may write read-only variables */

#define VARSTORE_GUID_SIZE 16u
/* Longest name in bytes with its NUL (Linux efivarfs allows 1024 chars). */
#define VARSTORE_NAME_MAX 2048u
#define VARSTORE_ENTRY_HDR 32u
#define VARSTORE_HDR_SIZE 32u

/**
 * varstore_init() - make @store (@size bytes, 8-byte aligned) an empty
 * store; non-volatile entries may use at most @nv_limit bytes of it (what
 * the file on the ESP holds). -EINVAL if @store is misaligned or too small.
 */
int __must_check varstore_init(void *store, size_t size, size_t nv_limit);

/**
 * varstore_exit_boot_services() - from now on only runtime variables are
 * visible, and only non-volatile runtime ones may be written (UEFI §8.2).
 */
void varstore_exit_boot_services(void *store);

/** varstore_is_runtime() - whether varstore_exit_boot_services() ran. */
bool varstore_is_runtime(const void *store);

/**
 * varstore_get() - GetVariable. @name is NUL-terminated within
 * VARSTORE_NAME_MAX bytes. On success *@data_size is the data's size and
 * @attr (if not NULL) its attributes; -EOVERFLOW when *@data_size is too
 * small (it is set to the size needed, @attr filled too, as EDK2 does).
 */
int __must_check varstore_get(const void *store, const void *name, const void *guid, uint32_t *attr,
			      void *data, size_t *data_size);

/**
 * varstore_set() - SetVariable: create, replace, append
 * (EFI_VARIABLE_APPEND_WRITE), or delete (@size 0 without append, or no
 * access attribute). @flags: VARSTORE_FIRMWARE or 0. Errors in the header
 * comment; the store is unchanged on any error.
 */
int __must_check varstore_set(void *store, const void *name, const void *guid, uint32_t attr,
			      const void *data, size_t size, unsigned int flags);

/**
 * varstore_next() - GetNextVariableName. @name (in: the previous name, or
 * an empty string to start; NUL-terminated within *@name_size bytes, else
 * -EINVAL) and @guid are replaced by the next visible variable's, and
 * *@name_size by its name's size in bytes. -EOVERFLOW when that does not
 * fit (*@name_size set to the size needed, @name untouched); -EINVAL when
 * the input is not a visible variable; -ENOENT after the last one.
 */
int __must_check varstore_next(const void *store, void *name, size_t *name_size, void *guid);

/**
 * varstore_query() - QueryVariableInfo for @attr: the storage for that
 * kind of variable, what remains of it, and the largest variable (name
 * plus data) it could hold. -EINVAL for a bad combination (no boot service
 * access; without runtime access after ExitBootServices), -EOPNOTSUPP for
 * attributes we do not support.
 */
int __must_check varstore_query(const void *store, uint32_t attr, uint64_t *max_storage,
				uint64_t *remaining, uint64_t *max_size);

/**
 * varstore_iter() - the raw entries in store order: start with *@pos = 0;
 * each call gives the next entry's bytes (@entry, @len with padding) and
 * its attributes, and advances *@pos. -ENOENT after the last.
 */
int __must_check varstore_iter(const void *store, size_t *pos, const uint8_t **entry, size_t *len,
			       uint32_t *attr);

/**
 * varstore_nv_used() - bytes the non-volatile entries take (their size in
 * the file image, padding included).
 */
size_t varstore_nv_used(const void *store);

/**
 * varstore_name_size() - bytes of the UCS-2 string @name up to and with its
 * NUL, looking at most @max bytes; 0 when there is no NUL in them.
 */
size_t varstore_name_size(const void *name, size_t max);

#endif
