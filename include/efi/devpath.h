/* Device paths (efi/devpath.c): walking, comparing and building them.
 * Paths from an application are untrusted: every walk is bounded (each
 * node at least 4 bytes, the whole path at most EFI_DEVPATH_MAX bytes) and
 * a malformed path is -EINVAL, never a read past its end. Paths we build
 * are malloc()ed; efi_devpath_dup_pool() makes the copy an application
 * owns. A path's "nodes" are those of its first instance, up to its first
 * end node. */
#ifndef EFI_DEVPATH_H
#define EFI_DEVPATH_H

#include <efi/abi/devpath.h>
#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>

#define EFI_DEVPATH_MAX 0x10000u

/* Our vendor hardware node for a Xen vbd (efi_guid_xen_vbd + the id). */
struct efi_dp_xen_vbd {
	struct efi_dp_vendor vendor;
	uint32_t vbd_id; /* device/vbd/<id> in XenStore */
} __packed;
static_assert(sizeof(struct efi_dp_xen_vbd) == 24, "Xen vbd node");

static inline size_t efi_dp_node_len(const struct efi_device_path *n)
{
	return (size_t)n->length[0] | (size_t)n->length[1] << 8;
}

/** efi_dp_header() - set a node's type, sub-type and length. */
void efi_dp_header(struct efi_device_path *n, uint8_t type, uint8_t sub_type, size_t len);

/**
 * efi_devpath_size() - bytes of @p up to and including its end node (of
 * the entire path: instances are walked through). -EINVAL when NULL,
 * malformed or longer than EFI_DEVPATH_MAX.
 */
int __must_check efi_devpath_size(const struct efi_device_path *p, size_t *size);

/**
 * efi_devpath_append() - a new path: the nodes of @a, then the nodes of @b,
 * then an end node. Either may be NULL (no nodes). -EINVAL, -ENOMEM.
 */
int __must_check efi_devpath_append(const struct efi_device_path *a,
				    const struct efi_device_path *b, struct efi_device_path **out);

/** efi_devpath_append_node() - a new path: the nodes of @a, @node, an end node. */
int __must_check efi_devpath_append_node(const struct efi_device_path *a, const void *node,
					 struct efi_device_path **out);

/**
 * efi_devpath_match_prefix() - do the nodes of @prefix start @path, node
 * for node? On a match *@matched is the bytes of @path they cover (the
 * remaining path starts there): 0. -ENOENT when they differ, -EINVAL when
 * either path is malformed. LocateDevicePath picks the handle with the
 * largest *@matched.
 */
int __must_check efi_devpath_match_prefix(const struct efi_device_path *prefix,
					  const struct efi_device_path *path, size_t *matched);

/** efi_devpath_eq() - are @a and @b both valid with the same nodes? */
bool efi_devpath_eq(const struct efi_device_path *a, const struct efi_device_path *b);

/** efi_devpath_dup_pool() - a copy of @p in pool memory, or NULL (malformed, no memory). */
struct efi_device_path *efi_devpath_dup_pool(const struct efi_device_path *p);

/* Paths of one node and an end node (malloc()ed). -EINVAL, -ENOMEM. */
int __must_check efi_devpath_xen_vbd(uint32_t vbd_id, struct efi_device_path **out);
int __must_check efi_devpath_memmap(uint32_t memory_type, uint64_t start, uint64_t size,
				    struct efi_device_path **out);
int __must_check efi_devpath_vendor_media(const efi_guid_t *guid, struct efi_device_path **out);
/** efi_devpath_file() - a file path node for UTF-8 @path ('/' becomes '\'). */
int __must_check efi_devpath_file(const char *path, struct efi_device_path **out);

/**
 * efi_devpath_file_utf8() - the file path nodes that make up @p (what
 * LocateDevicePath left of a LoadImage path), joined and converted to a
 * '/'-separated UTF-8 path in @out (@size bytes with the NUL). -EINVAL
 * when @p is malformed or holds another kind of node, -ENOSPC when too long.
 */
int __must_check efi_devpath_file_utf8(const struct efi_device_path *p, char *out, size_t size);

#endif
