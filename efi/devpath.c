/* Device paths (include/efi/devpath.h): bounded walks over untrusted
 * paths, and the few nodes xenboot builds. */
#include <efi/devpath.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

void efi_dp_header(struct efi_device_path *n, uint8_t type, uint8_t sub_type, size_t len)
{
	n->type = type;
	n->sub_type = sub_type;
	n->length[0] = (uint8_t)len;
	n->length[1] = (uint8_t)(len >> 8);
}

/* The node at byte @at of @p, if its header and body fit the bound. */
static const struct efi_device_path *node_at(const struct efi_device_path *p, size_t at)
{
	const struct efi_device_path *n = (const void *)((const uint8_t *)p + at);

	if (at + sizeof(*n) > EFI_DEVPATH_MAX) {
		return NULL;
	}
	size_t len = efi_dp_node_len(n);
	return len < sizeof(*n) || at + len > EFI_DEVPATH_MAX ? NULL : n;
}

/* Bytes of @p before its first end node (NULL: none); -EINVAL if malformed. */
static int nodes_len(const struct efi_device_path *p, size_t *len)
{
	size_t at = 0;

	*len = 0;
	if (!p) {
		return 0;
	}
	for (;;) {
		const struct efi_device_path *n = node_at(p, at);
		if (!n) {
			return -EINVAL;
		}
		if (n->type == EFI_DP_TYPE_END) {
			*len = at;
			return 0;
		}
		at += efi_dp_node_len(n);
	}
}

int efi_devpath_size(const struct efi_device_path *p, size_t *size)
{
	size_t at = 0;

	if (!p) {
		return -EINVAL;
	}
	for (;;) {
		const struct efi_device_path *n = node_at(p, at);
		if (!n) {
			return -EINVAL;
		}
		at += efi_dp_node_len(n);
		if (n->type == EFI_DP_TYPE_END && n->sub_type == EFI_DP_END_ENTIRE) {
			*size = at;
			return 0;
		}
	}
}

/* A new path of @alen bytes at @a, @blen at @b, and an end node. */
static int concat(const void *a, size_t alen, const void *b, size_t blen,
		  struct efi_device_path **out)
{
	size_t total = alen + blen + sizeof(struct efi_device_path);
	uint8_t *p;

	if (total > EFI_DEVPATH_MAX) {
		return -EINVAL;
	}
	p = malloc(total);
	if (!p) {
		return -ENOMEM;
	}
	if (alen) {
		memcpy(p, a, alen);
	}
	if (blen) {
		memcpy(p + alen, b, blen);
	}
	efi_dp_header((void *)(p + alen + blen), EFI_DP_TYPE_END, EFI_DP_END_ENTIRE,
		      sizeof(struct efi_device_path));
	*out = (void *)p;
	return 0;
}

int efi_devpath_append(const struct efi_device_path *a, const struct efi_device_path *b,
		       struct efi_device_path **out)
{
	size_t alen, blen;

	if (nodes_len(a, &alen) || nodes_len(b, &blen)) {
		return -EINVAL;
	}
	return concat(a, alen, b, blen, out);
}

int efi_devpath_append_node(const struct efi_device_path *a, const void *node,
			    struct efi_device_path **out)
{
	const struct efi_device_path *n = node_at(node, 0);
	size_t alen;

	if (!n || n->type == EFI_DP_TYPE_END || nodes_len(a, &alen)) {
		return -EINVAL;
	}
	return concat(a, alen, node, efi_dp_node_len(n), out);
}

int efi_devpath_match_prefix(const struct efi_device_path *prefix,
			     const struct efi_device_path *path, size_t *matched)
{
	size_t plen, qlen, at = 0;

	if (!prefix || !path || nodes_len(prefix, &plen) || nodes_len(path, &qlen)) {
		return -EINVAL;
	}
	while (at < plen) {
		const struct efi_device_path *n = node_at(prefix, at);
		size_t len = efi_dp_node_len(n);
		/* Both walks passed node_at(): equal lengths keep the nodes aligned. */
		if (at + len > qlen || memcmp(n, (const uint8_t *)path + at, len) != 0) {
			return -ENOENT;
		}
		at += len;
	}
	*matched = at;
	return 0;
}

bool efi_devpath_eq(const struct efi_device_path *a, const struct efi_device_path *b)
{
	size_t alen, blen, matched;

	return nodes_len(a, &alen) == 0 && nodes_len(b, &blen) == 0 && alen == blen &&
	       efi_devpath_match_prefix(a, b, &matched) == 0;
}

struct efi_device_path *efi_devpath_dup_pool(const struct efi_device_path *p)
{
	void *copy;
	size_t size;

	if (efi_devpath_size(p, &size) ||
	    efi_bs_allocate_pool(EfiBootServicesData, size, &copy) != EFI_SUCCESS) {
		return NULL;
	}
	memcpy(copy, p, size);
	return copy;
}

int efi_devpath_xen_vbd(uint32_t vbd_id, struct efi_device_path **out)
{
	struct efi_dp_xen_vbd n;

	efi_dp_header(&n.vendor.hdr, EFI_DP_TYPE_HARDWARE, EFI_DP_HW_VENDOR, sizeof(n));
	n.vendor.guid = efi_guid_xen_vbd;
	n.vbd_id = vbd_id;
	return efi_devpath_append_node(NULL, &n, out);
}

int efi_devpath_memmap(uint32_t memory_type, uint64_t start, uint64_t size,
		       struct efi_device_path **out)
{
	struct efi_dp_memmap n;

	if (size == 0 || start + size - 1 < start) {
		return -EINVAL;
	}
	efi_dp_header(&n.hdr, EFI_DP_TYPE_HARDWARE, EFI_DP_HW_MEMMAP, sizeof(n));
	n.memory_type = memory_type;
	n.start = start;
	n.end = start + size - 1;
	return efi_devpath_append_node(NULL, &n, out);
}

int efi_devpath_vendor_media(const efi_guid_t *guid, struct efi_device_path **out)
{
	struct efi_dp_vendor n;

	efi_dp_header(&n.hdr, EFI_DP_TYPE_MEDIA, EFI_DP_MEDIA_VENDOR, sizeof(n));
	memcpy(&n.guid, guid, sizeof(n.guid));
	return efi_devpath_append_node(NULL, &n, out);
}

int efi_devpath_file(const char *path, struct efi_device_path **out)
{
	/* A node's length is 16-bit: at most (0xffff - 4) / 2 units. */
	size_t max = (0xffffu - sizeof(struct efi_device_path)) / 2;
	efi_char16_t *units = malloc(max * sizeof(*units) + sizeof(struct efi_device_path));
	int n, rc;

	if (!units) {
		return -ENOMEM;
	}
	/* The header goes in front of the units: the node is built in place. */
	n = efi_utf8_to_ucs2(units + 2, max, path);
	if (n < 0) {
		free(units);
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		units[2 + i] = units[2 + i] == '/' ? '\\' : units[2 + i];
	}
	efi_dp_header((void *)units, EFI_DP_TYPE_MEDIA, EFI_DP_MEDIA_FILE_PATH,
		      sizeof(struct efi_device_path) + ((size_t)n + 1) * 2);
	rc = efi_devpath_append_node(NULL, units, out);
	free(units);
	return rc;
}

/* Append UCS-2 unit @u to @out as UTF-8 ('\' as '/'); -ENOSPC when full. */
static int put_unit(char *out, size_t size, size_t *o, uint16_t u)
{
	uint8_t b[3];
	size_t len = u < 0x80 ? 1 : u < 0x800 ? 2 : 3;

	if (u < 0x80) {
		b[0] = u == '\\' ? '/' : (uint8_t)u;
	} else if (u < 0x800) {
		b[0] = (uint8_t)(0xc0 | u >> 6);
		b[1] = (uint8_t)(0x80 | (u & 0x3f));
	} else {
		b[0] = (uint8_t)(0xe0 | u >> 12);
		b[1] = (uint8_t)(0x80 | ((u >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (u & 0x3f));
	}
	if (*o + len >= size) {
		return -ENOSPC;
	}
	memcpy(out + *o, b, len);
	*o += len;
	return 0;
}

int efi_devpath_file_utf8(const struct efi_device_path *p, char *out, size_t size)
{
	size_t plen, at = 0, o = 0;

	if (size == 0 || !p || nodes_len(p, &plen)) {
		return -EINVAL;
	}
	while (at < plen) {
		const struct efi_device_path *n = node_at(p, at);
		const uint8_t *units = (const uint8_t *)n + sizeof(*n);
		size_t count = (efi_dp_node_len(n) - sizeof(*n)) / 2;

		if (n->type != EFI_DP_TYPE_MEDIA || n->sub_type != EFI_DP_MEDIA_FILE_PATH) {
			return -EINVAL;
		}
		/* Nodes join with one separator, as "\EFI" + "BOOT\x.efi". */
		if (o > 0 && out[o - 1] != '/' && count > 0 && units[0] != '\\' &&
		    put_unit(out, size, &o, '/')) {
			return -ENOSPC;
		}
		for (size_t i = 0; i < count; i++) {
			uint16_t u = (uint16_t)(units[2 * i] | units[2 * i + 1] << 8);
			if (u == 0) {
				break;
			}
			if (put_unit(out, size, &o, u)) {
				return -ENOSPC;
			}
		}
		at += efi_dp_node_len(n);
	}
	out[o] = '\0';
	return 0;
}
