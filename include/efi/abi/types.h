/* UEFI base types, status codes, GUIDs and the memory map (UEFI 2.10, §2.3.1,
 * appendix D, §7.2), 64-bit layout. Our own definitions from the
 * specification's facts, checked with static_assert like include/xen/abi/. */
#ifndef EFI_ABI_TYPES_H
#define EFI_ABI_TYPES_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>

/* AAPCS64 is UEFI's calling convention on arm64: nothing to add. */
#define EFIAPI

typedef uint64_t efi_status_t;
typedef void *efi_handle_t;
typedef void *efi_event_t;
typedef uint64_t efi_tpl_t;
typedef uint16_t efi_char16_t;
typedef uint64_t efi_physical_addr_t;
typedef uint64_t efi_virtual_addr_t;

typedef struct {
	uint32_t data1;
	uint16_t data2, data3;
	uint8_t data4[8];
} efi_guid_t;
static_assert(sizeof(efi_guid_t) == 16, "EFI_GUID");

#define EFI_GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                                          \
	((efi_guid_t){(a), (b), (c), {(d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7)}})

/* Status: errors have the top bit set (appendix D). */
#define EFI_ERROR_BIT (1ULL << 63)
#define EFI_ERR(n) (EFI_ERROR_BIT | (n))
#define EFI_IS_ERROR(s) (((s)&EFI_ERROR_BIT) != 0)

#define EFI_SUCCESS 0ULL
#define EFI_LOAD_ERROR EFI_ERR(1)
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_UNSUPPORTED EFI_ERR(3)
#define EFI_BAD_BUFFER_SIZE EFI_ERR(4)
#define EFI_BUFFER_TOO_SMALL EFI_ERR(5)
#define EFI_NOT_READY EFI_ERR(6)
#define EFI_DEVICE_ERROR EFI_ERR(7)
#define EFI_WRITE_PROTECTED EFI_ERR(8)
#define EFI_OUT_OF_RESOURCES EFI_ERR(9)
#define EFI_VOLUME_CORRUPTED EFI_ERR(10)
#define EFI_VOLUME_FULL EFI_ERR(11)
#define EFI_NO_MEDIA EFI_ERR(12)
#define EFI_MEDIA_CHANGED EFI_ERR(13)
#define EFI_NOT_FOUND EFI_ERR(14)
#define EFI_ACCESS_DENIED EFI_ERR(15)
#define EFI_NO_RESPONSE EFI_ERR(16)
#define EFI_NO_MAPPING EFI_ERR(17)
#define EFI_TIMEOUT EFI_ERR(18)
#define EFI_NOT_STARTED EFI_ERR(19)
#define EFI_ALREADY_STARTED EFI_ERR(20)
#define EFI_ABORTED EFI_ERR(21)
#define EFI_PROTOCOL_ERROR EFI_ERR(24)
#define EFI_INCOMPATIBLE_VERSION EFI_ERR(25)
#define EFI_SECURITY_VIOLATION EFI_ERR(26)
#define EFI_CRC_ERROR EFI_ERR(27)
#define EFI_END_OF_MEDIA EFI_ERR(28)
#define EFI_END_OF_FILE EFI_ERR(31)
#define EFI_INVALID_LANGUAGE EFI_ERR(32)
#define EFI_COMPROMISED_DATA EFI_ERR(33)
#define EFI_WARN_UNKNOWN_GLYPH 1ULL

/* Task priority levels (§7.1). */
#define TPL_APPLICATION 4
#define TPL_CALLBACK 8
#define TPL_NOTIFY 16
#define TPL_HIGH_LEVEL 31

/* Memory types (§7.2, EFI_MEMORY_TYPE). */
enum efi_memory_type {
	EfiReservedMemoryType,
	EfiLoaderCode,
	EfiLoaderData,
	EfiBootServicesCode,
	EfiBootServicesData,
	EfiRuntimeServicesCode,
	EfiRuntimeServicesData,
	EfiConventionalMemory,
	EfiUnusableMemory,
	EfiACPIReclaimMemory,
	EfiACPIMemoryNVS,
	EfiMemoryMappedIO,
	EfiMemoryMappedIOPortSpace,
	EfiPalCode,
	EfiPersistentMemory,
	EfiUnacceptedMemoryType,
	EfiMaxMemoryType,
};
/* Types an OEM (0x70000000..0x7fffffff) or an OS loader (0x80000000..) may use. */
#define EFI_MEMORY_TYPE_OEM_FIRST 0x70000000u
#define EFI_MEMORY_TYPE_OS_FIRST 0x80000000u

enum efi_allocate_type {
	AllocateAnyPages,
	AllocateMaxAddress,
	AllocateAddress,
	MaxAllocateType,
};

#define EFI_MEMORY_UC 0x1ULL
#define EFI_MEMORY_WC 0x2ULL
#define EFI_MEMORY_WT 0x4ULL
#define EFI_MEMORY_WB 0x8ULL
#define EFI_MEMORY_UCE 0x10ULL
#define EFI_MEMORY_WP 0x1000ULL
#define EFI_MEMORY_RP 0x2000ULL
#define EFI_MEMORY_XP 0x4000ULL
#define EFI_MEMORY_NV 0x8000ULL
#define EFI_MEMORY_RO 0x20000ULL
#define EFI_MEMORY_RUNTIME (1ULL << 63)

#define EFI_PAGE_SHIFT 12
#define EFI_PAGE_SIZE (1ULL << EFI_PAGE_SHIFT)
#define EFI_MEMORY_DESCRIPTOR_VERSION 1

struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	efi_physical_addr_t physical_start;
	efi_virtual_addr_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};
static_assert(sizeof(struct efi_memory_descriptor) == 40, "EFI_MEMORY_DESCRIPTOR");
static_assert(offsetof(struct efi_memory_descriptor, physical_start) == 8, "PhysicalStart");

/* EFI_TIME and EFI_TIME_CAPABILITIES (§8.3). */
struct efi_time {
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t time_zone;
	uint8_t daylight, pad2;
};
static_assert(sizeof(struct efi_time) == 16, "EFI_TIME");
#define EFI_UNSPECIFIED_TIMEZONE 0x07ff

struct efi_time_capabilities {
	uint32_t resolution;
	uint32_t accuracy;
	bool sets_to_zero;
};

/* A device path node header (§10.2); the protocols' nodes are in devpath.h. */
struct efi_device_path {
	uint8_t type;
	uint8_t sub_type;
	uint8_t length[2]; /* little-endian, unaligned */
};
static_assert(sizeof(struct efi_device_path) == 4, "EFI_DEVICE_PATH_PROTOCOL");

#endif
