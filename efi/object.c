/* The handle database (include/efi/efi.h): handles with their protocols. */
#include <efi/efi.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

struct efi_object *efi_object_of(efi_handle_t h)
{
	/* Walk the list rather than trust the pointer: an application may
	 * hand us anything. */
	for (struct efi_object *o = efi_get()->objects; h && o; o = o->next) {
		if (o == h) {
			return o->magic == EFI_OBJECT_MAGIC ? o : NULL;
		}
	}
	return NULL;
}

int efi_handle_create(struct efi_object **out)
{
	struct efi *e = efi_get();
	struct efi_object *o = calloc(1, sizeof(*o));

	if (!o) {
		return -ENOMEM;
	}
	o->magic = EFI_OBJECT_MAGIC;
	o->next = e->objects;
	e->objects = o;
	*out = o;
	return 0;
}

int efi_handle_delete(struct efi_object *obj)
{
	struct efi *e = efi_get();

	if (obj->protocol_count) {
		return -EBUSY;
	}
	for (struct efi_object **p = &e->objects; *p; p = &(*p)->next) {
		if (*p == obj) {
			*p = obj->next;
			obj->magic = 0;
			free(obj);
			return 0;
		}
	}
	return -ENOENT;
}

struct efi_protocol *efi_protocol_find(struct efi_object *obj, const efi_guid_t *guid)
{
	for (unsigned int i = 0; i < obj->protocol_count; i++) {
		if (efi_guid_eq(&obj->protocols[i].guid, guid)) {
			return &obj->protocols[i];
		}
	}
	return NULL;
}

int efi_protocol_add(struct efi_object *obj, const efi_guid_t *guid, void *iface)
{
	if (efi_protocol_find(obj, guid)) {
		return -EEXIST;
	}
	if (obj->protocol_count == EFI_PROTOCOLS_PER_HANDLE) {
		return -ENOSPC;
	}
	struct efi_protocol *p = &obj->protocols[obj->protocol_count++];
	memset(p, 0, sizeof(*p));
	memcpy(&p->guid, guid, sizeof(p->guid));
	p->iface = iface;
	return 0;
}

void *efi_protocol_of(efi_handle_t h, const efi_guid_t *guid)
{
	struct efi_object *o = efi_object_of(h);
	struct efi_protocol *p = o ? efi_protocol_find(o, guid) : NULL;

	return p ? p->iface : NULL;
}

void efi_handle_withdraw(struct efi_object *obj, void *const *ifaces, unsigned int n)
{
	/* An application may have uninstalled them all, and the handle with
	 * them: then @obj is freed, or another handle now lives there. */
	struct efi_object *o = efi_object_of(obj);
	unsigned int kept = 0;

	if (!o) {
		return;
	}
	for (unsigned int i = 0; i < o->protocol_count; i++) {
		bool is_ours = false;
		for (unsigned int j = 0; j < n; j++) {
			is_ours = is_ours || o->protocols[i].iface == ifaces[j];
		}
		if (!is_ours) {
			o->protocols[kept++] = o->protocols[i];
		}
	}
	o->protocol_count = kept;
	(void)efi_handle_delete(o); /* only when nothing else is on it */
}
