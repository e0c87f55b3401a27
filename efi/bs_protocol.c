/* The protocol handler services over the handle database (UEFI 2.10 §7.3).
 * No driver model: ConnectController finds no driver, and protocol
 * notification is not offered. */
#include <efi/devpath.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <stdarg.h>
#include <string.h>

efi_status_t efi_bs_install_protocol_interface(efi_handle_t *handle, const efi_guid_t *protocol,
					       uint32_t type, void *iface)
{
	struct efi_object *o;

	if (!handle || !protocol || type != EFI_NATIVE_INTERFACE) {
		return EFI_INVALID_PARAMETER;
	}
	if (!*handle) {
		if (efi_handle_create(&o)) {
			return EFI_OUT_OF_RESOURCES;
		}
		*handle = o;
	} else if (!(o = efi_object_of(*handle))) {
		return EFI_INVALID_PARAMETER;
	}
	int rc = efi_protocol_add(o, protocol, iface);
	if (rc && !o->protocol_count) {
		(void)efi_handle_delete(o);
		*handle = NULL;
	}
	return rc == -EEXIST ? EFI_INVALID_PARAMETER : efi_status_of(rc);
}

/* The protocol @protocol = @iface on @handle, or the status saying why not. */
static efi_status_t find_installed(efi_handle_t handle, const efi_guid_t *protocol, void *iface,
				   struct efi_object **obj, struct efi_protocol **p)
{
	if (!protocol || !(*obj = efi_object_of(handle))) {
		return EFI_INVALID_PARAMETER;
	}
	*p = efi_protocol_find(*obj, protocol);
	return *p && (*p)->iface == iface ? EFI_SUCCESS : EFI_NOT_FOUND;
}

/* A driver's or an exclusive open keeps a protocol installed. */
static bool is_held(const struct efi_protocol *p)
{
	for (unsigned int i = 0; i < p->opener_count; i++) {
		if (p->openers[i].attributes &
		    (EFI_OPEN_PROTOCOL_BY_DRIVER | EFI_OPEN_PROTOCOL_EXCLUSIVE)) {
			return true;
		}
	}
	return false;
}

efi_status_t efi_bs_uninstall_protocol_interface(efi_handle_t handle, const efi_guid_t *protocol,
						 void *iface)
{
	struct efi_object *o;
	struct efi_protocol *p;
	efi_status_t s = find_installed(handle, protocol, iface, &o, &p);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (is_held(p)) {
		return EFI_ACCESS_DENIED;
	}
	size_t i = (size_t)(p - o->protocols);
	memmove(p, p + 1, (o->protocol_count - i - 1) * sizeof(*p));
	o->protocol_count--;
	(void)efi_handle_delete(o); /* only if that was its last protocol */
	return EFI_SUCCESS;
}

efi_status_t efi_bs_reinstall_protocol_interface(efi_handle_t handle, const efi_guid_t *protocol,
						 void *old_iface, void *new_iface)
{
	struct efi_object *o;
	struct efi_protocol *p;
	efi_status_t s = find_installed(handle, protocol, old_iface, &o, &p);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (is_held(p)) {
		return EFI_ACCESS_DENIED;
	}
	p->iface = new_iface;
	return EFI_SUCCESS;
}

efi_status_t efi_bs_handle_protocol(efi_handle_t handle, const efi_guid_t *protocol, void **iface)
{
	struct efi_object *o = efi_object_of(handle);

	if (!o || !protocol || !iface) {
		return EFI_INVALID_PARAMETER;
	}
	struct efi_protocol *p = efi_protocol_find(o, protocol);
	if (!p) {
		*iface = NULL;
		return EFI_UNSUPPORTED;
	}
	*iface = p->iface;
	return EFI_SUCCESS;
}

efi_status_t efi_bs_register_protocol_notify(const efi_guid_t *protocol, efi_event_t event,
					     void **registration)
{
	if (!protocol || !event || !registration) {
		return EFI_INVALID_PARAMETER;
	}
	/* Protocols appear only while xenboot starts EFI: nothing to notify. */
	return EFI_UNSUPPORTED;
}

/* Handles matching a search: all of them, or those with @protocol. */
static efi_status_t search_check(uint32_t type, const efi_guid_t *protocol, void *key)
{
	if (type == AllHandles) {
		return EFI_SUCCESS;
	}
	if (type == ByProtocol) {
		return protocol ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
	}
	/* ByRegisterNotify: no registration key was ever handed out. */
	return type == ByRegisterNotify && key ? EFI_NOT_FOUND : EFI_INVALID_PARAMETER;
}

static uint64_t search_collect(uint32_t type, const efi_guid_t *protocol, efi_handle_t *out,
			       uint64_t max)
{
	uint64_t n = 0;

	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		if (type == AllHandles || efi_protocol_find(o, protocol)) {
			if (n < max) {
				out[n] = o;
			}
			n++;
		}
	}
	return n;
}

efi_status_t efi_bs_locate_handle(uint32_t search_type, const efi_guid_t *protocol, void *key,
				  uint64_t *size, efi_handle_t *buffer)
{
	efi_status_t s = search_check(search_type, protocol, key);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (!size || (*size && !buffer)) {
		return EFI_INVALID_PARAMETER;
	}
	uint64_t max = *size / sizeof(efi_handle_t);
	uint64_t n = search_collect(search_type, protocol, buffer, buffer ? max : 0);
	if (!n) {
		return EFI_NOT_FOUND;
	}
	*size = n * sizeof(efi_handle_t);
	return n > max ? EFI_BUFFER_TOO_SMALL : EFI_SUCCESS;
}

efi_status_t efi_bs_locate_handle_buffer(uint32_t search_type, const efi_guid_t *protocol,
					 void *key, uint64_t *count, efi_handle_t **buffer)
{
	efi_status_t s = search_check(search_type, protocol, key);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (!count || !buffer) {
		return EFI_INVALID_PARAMETER;
	}
	*count = 0;
	*buffer = NULL;
	uint64_t n = search_collect(search_type, protocol, NULL, 0);
	if (!n) {
		return EFI_NOT_FOUND;
	}
	s = efi_bs_allocate_pool(EfiBootServicesData, n * sizeof(efi_handle_t), (void **)buffer);
	if (s != EFI_SUCCESS) {
		return EFI_OUT_OF_RESOURCES;
	}
	*count = search_collect(search_type, protocol, *buffer, n);
	return EFI_SUCCESS;
}

efi_status_t efi_bs_locate_protocol(const efi_guid_t *protocol, void *registration, void **iface)
{
	if (!protocol || !iface) {
		return EFI_INVALID_PARAMETER;
	}
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		struct efi_protocol *p = efi_protocol_find(o, protocol);
		if (p) {
			*iface = p->iface;
			return EFI_SUCCESS;
		}
	}
	*iface = NULL;
	return EFI_NOT_FOUND;
}

efi_status_t efi_bs_protocols_per_handle(efi_handle_t handle, efi_guid_t ***buffer, uint64_t *count)
{
	struct efi_object *o = efi_object_of(handle);

	if (!o || !buffer || !count) {
		return EFI_INVALID_PARAMETER;
	}
	efi_guid_t **list;
	if (efi_bs_allocate_pool(EfiBootServicesData, (o->protocol_count + 1) * sizeof(*list),
				 (void **)&list) != EFI_SUCCESS) {
		return EFI_OUT_OF_RESOURCES;
	}
	for (unsigned int i = 0; i < o->protocol_count; i++) {
		list[i] = &o->protocols[i].guid;
	}
	*buffer = list;
	*count = o->protocol_count;
	return EFI_SUCCESS;
}

efi_status_t efi_bs_connect_controller(efi_handle_t controller, efi_handle_t *driver,
				       struct efi_device_path *remaining, bool recursive)
{
	/* Our protocols are installed complete: there is no driver to bind. */
	return efi_object_of(controller) ? EFI_NOT_FOUND : EFI_INVALID_PARAMETER;
}

efi_status_t efi_bs_disconnect_controller(efi_handle_t controller, efi_handle_t driver,
					  efi_handle_t child)
{
	if (!efi_object_of(controller) || (driver && !efi_object_of(driver)) ||
	    (child && !efi_object_of(child))) {
		return EFI_INVALID_PARAMETER;
	}
	return EFI_SUCCESS; /* nothing was connected */
}

/* Has some handle the device path @dp already? Then it names a device
 * that exists (EFI_ALREADY_STARTED for InstallMultipleProtocolInterfaces). */
static bool is_path_taken(const struct efi_device_path *dp)
{
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		struct efi_protocol *p = efi_protocol_find(o, &efi_guid_device_path);
		if (p && p->iface && efi_devpath_eq(p->iface, dp)) {
			return true;
		}
	}
	return false;
}

/* Pairs of (GUID, interface) up to a NULL GUID: all installed or none. */
efi_status_t efi_bs_install_multiple_protocol_interfaces(efi_handle_t *handle, ...)
{
	va_list ap;
	efi_status_t s = EFI_SUCCESS;
	unsigned int done = 0;

	if (!handle) {
		return EFI_INVALID_PARAMETER;
	}
	efi_handle_t orig = *handle;
	va_start(ap, handle);
	for (const efi_guid_t *g; s == EFI_SUCCESS && (g = va_arg(ap, const efi_guid_t *));) {
		void *iface = va_arg(ap, void *);
		if (iface && efi_guid_eq(g, &efi_guid_device_path) && is_path_taken(iface)) {
			s = EFI_ALREADY_STARTED;
			break;
		}
		s = efi_bs_install_protocol_interface(handle, g, EFI_NATIVE_INTERFACE, iface);
		done += s == EFI_SUCCESS;
	}
	va_end(ap);
	if (s == EFI_SUCCESS) {
		return s;
	}
	/* Undo the first @done. */
	va_start(ap, handle);
	for (unsigned int i = 0; i < done; i++) {
		const efi_guid_t *g = va_arg(ap, const efi_guid_t *);
		void *iface = va_arg(ap, void *);
		(void)efi_bs_uninstall_protocol_interface(*handle, g, iface);
	}
	va_end(ap);
	*handle = orig;
	return s;
}

efi_status_t efi_bs_uninstall_multiple_protocol_interfaces(efi_handle_t handle, ...)
{
	va_list ap;
	efi_status_t s = EFI_SUCCESS;
	unsigned int done = 0;

	if (!efi_object_of(handle)) {
		return EFI_INVALID_PARAMETER;
	}
	va_start(ap, handle);
	for (const efi_guid_t *g; s == EFI_SUCCESS && (g = va_arg(ap, const efi_guid_t *));) {
		void *iface = va_arg(ap, void *);
		/* The last protocol's removal deletes the handle: keep it for the undo. */
		struct efi_object *o = efi_object_of(handle);
		struct efi_protocol *p = o ? efi_protocol_find(o, g) : NULL;
		if (!p || p->iface != iface) {
			s = EFI_INVALID_PARAMETER;
		} else if (o->protocol_count == 1) {
			s = is_held(p) ? EFI_INVALID_PARAMETER : EFI_SUCCESS;
			if (s == EFI_SUCCESS) {
				o->protocol_count = 0;
			}
		} else {
			s = efi_bs_uninstall_protocol_interface(handle, g, iface) == EFI_SUCCESS
				? EFI_SUCCESS
				: EFI_INVALID_PARAMETER;
		}
		done += s == EFI_SUCCESS;
	}
	va_end(ap);
	struct efi_object *o = efi_object_of(handle);
	if (s == EFI_SUCCESS) {
		if (o && !o->protocol_count) {
			(void)efi_handle_delete(o);
		}
		return s;
	}
	/* Put back the first @done. */
	va_start(ap, handle);
	for (unsigned int i = 0; i < done; i++) {
		const efi_guid_t *g = va_arg(ap, const efi_guid_t *);
		void *iface = va_arg(ap, void *);
		if (efi_protocol_add(o, g, iface)) {
			break; /* cannot happen: each was on @o a moment ago */
		}
	}
	va_end(ap);
	return s;
}

efi_status_t efi_bs_locate_device_path(const efi_guid_t *protocol, struct efi_device_path **path,
				       efi_handle_t *device)
{
	struct efi_object *best = NULL;
	size_t best_matched = 0;

	if (!protocol || !path || !*path || !device) {
		return EFI_INVALID_PARAMETER;
	}
	/* The handle whose path is the longest prefix of the caller's
	 * (efi_devpath_match_prefix() bounds both walks). */
	for (struct efi_object *o = efi_get()->objects; o; o = o->next) {
		struct efi_protocol *dp = efi_protocol_find(o, &efi_guid_device_path);
		size_t matched;
		if (dp && dp->iface && efi_protocol_find(o, protocol) &&
		    efi_devpath_match_prefix(dp->iface, *path, &matched) == 0 &&
		    (!best || matched > best_matched)) {
			best = o;
			best_matched = matched;
		}
	}
	if (!best) {
		return EFI_NOT_FOUND;
	}
	*device = best;
	*path = (struct efi_device_path *)((uint8_t *)*path + best_matched);
	return EFI_SUCCESS;
}
