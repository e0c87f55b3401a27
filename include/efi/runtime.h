/* The runtime services' state (efi/rt_*.c), kept in the one struct efi so
 * it stays in our image, which the memory map reports as runtime services
 * code. Code on the runtime path reaches it through efi_get() (PC-relative)
 * and keeps only numbers in it, never pointers: after SetVirtualAddressMap
 * the OS runs us at addresses of its choosing. */
#ifndef EFI_RUNTIME_H
#define EFI_RUNTIME_H

#include <efi/abi/types.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

/* Every variable, volatile or not (include/efi/varstore.h). */
#define EFI_VAR_STORE_SIZE 0x10000u
/* Runtime ranges of the virtual map that ConvertPointer can translate. */
#define EFI_RT_REGIONS_MAX 8

/* EFI_RT_PROPERTIES_TABLE (UEFI 2.10 §4.6.2): which runtime services work. */
struct efi_rt_properties_table {
	uint16_t version;
	uint16_t length;
	uint32_t runtime_services_supported;
};
static_assert(sizeof(struct efi_rt_properties_table) == 8, "EFI_RT_PROPERTIES_TABLE");
#define EFI_RT_PROPERTIES_TABLE_VERSION 1
#define EFI_RT_SUPPORTED_GET_TIME 0x0001u
#define EFI_RT_SUPPORTED_GET_VARIABLE 0x0010u
#define EFI_RT_SUPPORTED_GET_NEXT_VARIABLE_NAME 0x0020u
#define EFI_RT_SUPPORTED_SET_VARIABLE 0x0040u
#define EFI_RT_SUPPORTED_SET_VIRTUAL_ADDRESS_MAP 0x0080u
#define EFI_RT_SUPPORTED_CONVERT_POINTER 0x0100u
#define EFI_RT_SUPPORTED_GET_NEXT_HIGH_MONOTONIC_COUNT 0x0200u
#define EFI_RT_SUPPORTED_RESET_SYSTEM 0x0400u
#define EFI_RT_SUPPORTED_QUERY_VARIABLE_INFO 0x2000u

enum efi_vars_state {
	EFI_VARS_OFF, /* not set up yet */
	EFI_VARS_SAVED, /* non-volatile changes go to the ESP */
	EFI_VARS_MEMORY, /* kept in memory only (no ESP, or a file we must not overwrite) */
};

/* A runtime range of the virtual map: physical start, pages, virtual start. */
struct efi_rt_region {
	uint64_t phys, pages, virt;
};

struct efi_runtime {
	uint64_t var_store[EFI_VAR_STORE_SIZE / 8];
	enum efi_vars_state vars_state;
	bool has_said_no_esp; /* logged once that variables are not saved */
	bool is_virtual; /* SetVirtualAddressMap done */
	bool has_wallclock;
	uint64_t wallclock_ns; /* Xen's wallclock: UTC where our virtual counter started */
	unsigned int region_count;
	struct efi_rt_region regions[EFI_RT_REGIONS_MAX];
	struct efi_rt_properties_table properties;
};

struct efi;

/**
 * efi_vars_start() - efi_start() step: an empty variable store, the
 * non-volatile variables loaded from the ESP (include/efi/varfile.h), and
 * the read-only RTStorageVolatile and VarToFile variables. Returns 0 (a
 * missing ESP or file only means nothing is loaded).
 */
int __must_check efi_vars_start(struct efi *e);

/**
 * efi_runtime_start() - efi_start() step: the Xen wallclock for GetTime and
 * the EFI_RT_PROPERTIES_TABLE configuration table. Returns 0 or -ENOSPC.
 */
int __must_check efi_runtime_start(struct efi *e);

/**
 * efi_vars_set_readonly() - set a variable the firmware publishes and the OS
 * can only read (BootCurrent, OsIndicationsSupported...): volatile, boot
 * service and runtime access, read-only; @size 0 deletes it. Returns 0 or
 * a varstore_set() error; -ENODEV after ExitBootServices before any EFI use.
 */
int __must_check efi_vars_set_readonly(const efi_char16_t *name, const efi_guid_t *vendor,
				       const void *data, size_t size);

/** efi_time_capture() - read Xen's wallclock for GetTime (while shared_info is mapped). */
void efi_time_capture(struct efi *e);

/** efi_time_from_ns() - @ns since 1970-01-01 UTC as EFI_TIME (time zone unspecified). */
void efi_time_from_ns(uint64_t ns, struct efi_time *t);

/**
 * efi_runtime_convert() - the virtual address of @phys under the map
 * SetVirtualAddressMap was given, if a runtime range of it holds @phys.
 * -ENOENT when none does, -EINVAL before SetVirtualAddressMap.
 */
int __must_check efi_runtime_convert(const struct efi_runtime *r, uint64_t phys, uint64_t *virt);

#endif
