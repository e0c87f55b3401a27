/* The UEFI variable store (include/efi/varstore.h). Runtime code: no
 * printing, no allocation, no pointer kept in data. */
#include <efi/varstore.h>
#include <lib/errno.h>
#include <lib/le.h>
#include <string.h>

#define ATTR_ACCESS (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
#define ATTR_STORED (EFI_VARIABLE_NON_VOLATILE | ATTR_ACCESS)
#define ATTR_REFUSED                                                                               \
	(EFI_VARIABLE_HARDWARE_ERROR_RECORD | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS | \
	 EFI_VARIABLE_ENHANCED_AUTHENTICATED_ACCESS)

#define STATE_RUNTIME 1u
#define RT_ACCESS EFI_VARIABLE_RUNTIME_ACCESS

/* At the start of the store; native fields: this is our memory, not a format. */
struct vs_hdr {
	uint32_t capacity; /* bytes for entries */
	uint32_t used;
	uint32_t nv_limit;
	uint32_t nv_used;
	uint32_t state;
	uint32_t reserved[3];
};
static_assert(sizeof(struct vs_hdr) == VARSTORE_HDR_SIZE, "varstore header");

/* One entry's header (EBBR EFI_VARIABLE_ENTRY without the name). */
struct vs_entry {
	le32 data_size;
	le32 attr;
	le64 timestamp;
	uint8_t guid[VARSTORE_GUID_SIZE];
};
static_assert(sizeof(struct vs_entry) == VARSTORE_ENTRY_HDR, "EBBR variable entry");

/* What find() and decode() learn about an entry at offset off. */
struct vs_var {
	size_t off, total, name_size, data_size;
	uint32_t attr;
};

static struct vs_hdr *hdr(void *store)
{
	return store;
}

static const struct vs_hdr *chdr(const void *store)
{
	return store;
}

static uint8_t *area(const void *store)
{
	return (uint8_t *)store + VARSTORE_HDR_SIZE;
}

size_t varstore_name_size(const void *name, size_t max)
{
	const uint8_t *p = name;

	for (size_t i = 0; i + 1 < max; i += 2) {
		if (p[i] == 0 && p[i + 1] == 0) {
			return i + 2;
		}
	}
	return 0;
}

static size_t entry_total(size_t name_size, size_t data_size)
{
	return ALIGN_UP(VARSTORE_ENTRY_HDR + name_size + data_size, (size_t)8);
}

static void decode(const void *store, size_t off, struct vs_var *v)
{
	struct vs_entry e;

	memcpy(&e, area(store) + off, sizeof(e));
	v->off = off;
	v->attr = get_le32(&e.attr);
	v->data_size = get_le32(&e.data_size);
	v->name_size =
	    varstore_name_size(area(store) + off + VARSTORE_ENTRY_HDR, VARSTORE_NAME_MAX);
	v->total = entry_total(v->name_size, v->data_size);
}

static bool is_visible(const void *store, uint32_t attr)
{
	return !(chdr(store)->state & STATE_RUNTIME) || (attr & EFI_VARIABLE_RUNTIME_ACCESS);
}

/* The entry named @name (@name_size bytes with the NUL) of vendor @guid,
 * visible or not. -ENOENT if there is none. */
static int find(const void *store, const void *name, size_t name_size, const void *guid,
		struct vs_var *v)
{
	const uint8_t *a = area(store);

	for (size_t off = 0; off < chdr(store)->used; off += v->total) {
		decode(store, off, v);
		if (v->name_size == name_size &&
		    memcmp(a + off + 16, guid, VARSTORE_GUID_SIZE) == 0 &&
		    memcmp(a + off + VARSTORE_ENTRY_HDR, name, name_size) == 0) {
			return 0;
		}
	}
	return -ENOENT;
}

int varstore_init(void *store, size_t size, size_t nv_limit)
{
	if (!store || !IS_ALIGNED((uintptr_t)store, 8) || size < VARSTORE_HDR_SIZE + 64 ||
	    size - VARSTORE_HDR_SIZE > UINT32_MAX) {
		return -EINVAL;
	}
	memset(store, 0, VARSTORE_HDR_SIZE);
	hdr(store)->capacity = (uint32_t)ALIGN_DOWN(size - VARSTORE_HDR_SIZE, (size_t)8);
	hdr(store)->nv_limit = (uint32_t)MIN(nv_limit, (size_t)hdr(store)->capacity);
	return 0;
}

void varstore_exit_boot_services(void *store)
{
	hdr(store)->state |= STATE_RUNTIME;
}

bool varstore_is_runtime(const void *store)
{
	return chdr(store)->state & STATE_RUNTIME;
}

size_t varstore_nv_used(const void *store)
{
	return chdr(store)->nv_used;
}

int varstore_get(const void *store, const void *name, const void *guid, uint32_t *attr, void *data,
		 size_t *data_size)
{
	size_t name_size = varstore_name_size(name, VARSTORE_NAME_MAX);
	struct vs_var v;

	if (name_size == 0) {
		return -EINVAL;
	}
	if (find(store, name, name_size, guid, &v) || !is_visible(store, v.attr)) {
		return -ENOENT;
	}
	if (attr) {
		*attr = v.attr & ~VARSTORE_ATTR_READ_ONLY;
	}
	if (*data_size < v.data_size) {
		*data_size = v.data_size;
		return -EOVERFLOW;
	}
	*data_size = v.data_size;
	memcpy(data, area(store) + v.off + VARSTORE_ENTRY_HDR + v.name_size, v.data_size);
	return 0;
}

/* Attribute rules of SetVariable for a write that stores data. */
static int check_attr(const void *store, uint32_t attr, unsigned int flags)
{
	if (attr & EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS) {
		return -EOPNOTSUPP;
	}
	if (attr & ATTR_REFUSED) {
		return -EINVAL;
	}
	if (attr & ~(ATTR_STORED | ((flags & VARSTORE_FIRMWARE) ? VARSTORE_ATTR_READ_ONLY : 0))) {
		return -EINVAL;
	}
	/* Runtime access implies boot service access (UEFI §8.2). */
	if ((attr & ATTR_ACCESS) == EFI_VARIABLE_RUNTIME_ACCESS) {
		return -EINVAL;
	}
	return 0;
}

/* Grow or shrink entry @v to @new_total bytes, moving what follows it,
 * within the store's limits. @v->off may be the end of the store (a new
 * entry, @v->total 0). */
static int resize(void *store, const struct vs_var *v, uint32_t attr, size_t new_total)
{
	struct vs_hdr *h = hdr(store);
	size_t used = h->used - v->total + new_total;
	size_t nv_used = h->nv_used;

	if (attr & EFI_VARIABLE_NON_VOLATILE) {
		nv_used = nv_used - v->total + new_total;
	}
	if (used > h->capacity || nv_used > h->nv_limit) {
		return -ENOSPC;
	}
	memmove(area(store) + v->off + new_total, area(store) + v->off + v->total,
		h->used - v->off - v->total);
	h->used = (uint32_t)used;
	h->nv_used = (uint32_t)nv_used;
	return 0;
}

/* The largest name plus data a variable with @attr could ever have. */
static size_t class_limit(const void *store, uint32_t attr)
{
	const struct vs_hdr *h = chdr(store);
	size_t limit = attr & EFI_VARIABLE_NON_VOLATILE ? h->nv_limit : h->capacity;

	return limit > VARSTORE_ENTRY_HDR ? limit - VARSTORE_ENTRY_HDR : 0;
}

/* Write @v's header and data (@data_at: offset of @data within the data). */
static void fill(void *store, const struct vs_var *v, uint32_t attr, const void *guid,
		 const void *name, const void *data, size_t data_at, size_t size)
{
	uint8_t *p = area(store) + v->off;
	struct vs_entry e;

	memset(&e, 0, sizeof(e));
	put_le32(&e.data_size, (uint32_t)(data_at + size));
	put_le32(&e.attr, attr);
	memcpy(e.guid, guid, VARSTORE_GUID_SIZE);
	memcpy(p, &e, sizeof(e));
	memcpy(p + VARSTORE_ENTRY_HDR, name, v->name_size);
	memcpy(p + VARSTORE_ENTRY_HDR + v->name_size + data_at, data, size);
	/* NUL padding, as EBBR asks (and so the file image is deterministic). */
	memset(p + VARSTORE_ENTRY_HDR + v->name_size + data_at + size, 0,
	       entry_total(v->name_size, data_at + size) -
		   (VARSTORE_ENTRY_HDR + v->name_size + data_at + size));
}

/* Store @size bytes of @data for @v (existing or new), after the
 * @data_at bytes already there (append), or replacing them (@data_at 0). */
static int store_data(void *store, struct vs_var *v, uint32_t attr, const void *guid,
		      const void *name, const void *data, size_t data_at, size_t size)
{
	size_t total;
	int rc;

	if (size > class_limit(store, attr) ||
	    v->name_size + data_at + size > class_limit(store, attr)) {
		return -EINVAL;
	}
	total = entry_total(v->name_size, data_at + size);
	rc = resize(store, v, attr, total);
	if (rc) {
		return rc;
	}
	v->total = total;
	fill(store, v, attr, guid, name, data, data_at, size);
	return 0;
}

/* SetVariable on an existing variable @v. */
static int update(void *store, struct vs_var *v, uint32_t attr, bool is_delete, bool is_append,
		  const void *guid, const void *name, const void *data, size_t size,
		  unsigned int flags)
{
	if ((v->attr & VARSTORE_ATTR_READ_ONLY) && !(flags & VARSTORE_FIRMWARE)) {
		return -EPERM;
	}
	/* Volatile runtime variables are read-only once boot services end. */
	if (varstore_is_runtime(store) && !(v->attr & EFI_VARIABLE_NON_VOLATILE)) {
		return -EPERM;
	}
	if (is_delete) {
		return resize(store, v, v->attr, 0);
	}
	/* A rewrite must keep the attributes (UEFI §8.2 SetVariable). */
	if ((attr & ~VARSTORE_ATTR_READ_ONLY) != (v->attr & ~VARSTORE_ATTR_READ_ONLY)) {
		return -EINVAL;
	}
	if (is_append) {
		return size ? store_data(store, v, attr, guid, name, data, v->data_size, size) : 0;
	}
	return store_data(store, v, attr, guid, name, data, 0, size);
}

int varstore_set(void *store, const void *name, const void *guid, uint32_t attr, const void *data,
		 size_t size, unsigned int flags)
{
	bool is_append = attr & EFI_VARIABLE_APPEND_WRITE;
	size_t name_size;
	bool is_delete;
	struct vs_var v;
	int rc;

	attr &= ~EFI_VARIABLE_APPEND_WRITE;
	is_delete = (!is_append && size == 0) || !(attr & ATTR_ACCESS);
	rc = check_attr(store, attr, flags);
	if (rc) {
		return rc;
	}
	name_size = varstore_name_size(name, VARSTORE_NAME_MAX);
	if (name_size < 4) { /* no NUL, or the empty name */
		return -EINVAL;
	}
	if (find(store, name, name_size, guid, &v) == 0) {
		if (!is_visible(store, v.attr)) {
			return is_delete ? -ENOENT : -EPERM;
		}
		return update(store, &v, attr, is_delete, is_append, guid, name, data, size, flags);
	}
	if (is_delete) {
		return -ENOENT;
	}
	/* After ExitBootServices only non-volatile runtime variables can be set. */
	if (varstore_is_runtime(store) && (attr & (EFI_VARIABLE_NON_VOLATILE | RT_ACCESS)) !=
					      (EFI_VARIABLE_NON_VOLATILE | RT_ACCESS)) {
		return -EINVAL;
	}
	if (size == 0) {
		return 0; /* appending nothing creates nothing */
	}
	v.off = chdr(store)->used;
	v.total = 0;
	v.name_size = name_size;
	return store_data(store, &v, attr, guid, name, data, 0, size);
}

/* Offset of the first visible entry at or after @off; used if none. */
static size_t next_visible(const void *store, size_t off)
{
	struct vs_var v;

	for (; off < chdr(store)->used; off += v.total) {
		decode(store, off, &v);
		if (is_visible(store, v.attr)) {
			break;
		}
	}
	return off;
}

int varstore_next(const void *store, void *name, size_t *name_size, void *guid)
{
	size_t in_size = varstore_name_size(name, *name_size);
	struct vs_var v;
	size_t off = 0;

	if (in_size == 0) {
		return -EINVAL;
	}
	if (in_size > 2) {
		if (find(store, name, in_size, guid, &v) || !is_visible(store, v.attr)) {
			return -EINVAL;
		}
		off = v.off + v.total;
	}
	off = next_visible(store, off);
	if (off >= chdr(store)->used) {
		return -ENOENT;
	}
	decode(store, off, &v);
	if (*name_size < v.name_size) {
		*name_size = v.name_size;
		return -EOVERFLOW;
	}
	*name_size = v.name_size;
	memcpy(name, area(store) + off + VARSTORE_ENTRY_HDR, v.name_size);
	memcpy(guid, area(store) + off + 16, VARSTORE_GUID_SIZE);
	return 0;
}

int varstore_query(const void *store, uint32_t attr, uint64_t *max_storage, uint64_t *remaining,
		   uint64_t *max_size)
{
	const struct vs_hdr *h = chdr(store);
	size_t limit, left;

	if (attr & (EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS | ATTR_REFUSED)) {
		return -EOPNOTSUPP;
	}
	if ((attr & ~ATTR_STORED) || !(attr & EFI_VARIABLE_BOOTSERVICE_ACCESS)) {
		return -EINVAL;
	}
	if (varstore_is_runtime(store) && !(attr & EFI_VARIABLE_RUNTIME_ACCESS)) {
		return -EINVAL;
	}
	left = h->capacity - h->used;
	limit = h->capacity;
	if (attr & EFI_VARIABLE_NON_VOLATILE) {
		limit = h->nv_limit;
		left = MIN(left, (size_t)(h->nv_limit - h->nv_used));
	}
	*max_storage = limit;
	*remaining = left;
	*max_size = class_limit(store, attr);
	return 0;
}

int varstore_iter(const void *store, size_t *pos, const uint8_t **entry, size_t *len,
		  uint32_t *attr)
{
	struct vs_var v;

	if (*pos >= chdr(store)->used) {
		return -ENOENT;
	}
	decode(store, *pos, &v);
	*entry = area(store) + *pos;
	*len = v.total;
	*attr = v.attr;
	*pos += v.total;
	return 0;
}
