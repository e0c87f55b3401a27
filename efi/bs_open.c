/* OpenProtocol, CloseProtocol and OpenProtocolInformation (UEFI 2.10 §7.3):
 * who holds which protocol, so that exclusive and driver opens are honoured
 * and CloseProtocol can tell a real opener from a stranger. */
#include <efi/efi.h>
#include <efi/services.h>
#include <string.h>

#define BY_DRIVER EFI_OPEN_PROTOCOL_BY_DRIVER
#define EXCLUSIVE EFI_OPEN_PROTOCOL_EXCLUSIVE

/* The attribute values the specification allows, and whether they name an agent. */
static efi_status_t check_attributes(efi_handle_t handle, efi_handle_t agent,
				     efi_handle_t controller, uint32_t attributes)
{
	switch (attributes) {
	case EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL:
	case EFI_OPEN_PROTOCOL_GET_PROTOCOL:
	case EFI_OPEN_PROTOCOL_TEST_PROTOCOL:
		return EFI_SUCCESS;
	case EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER:
		if (controller == handle) {
			return EFI_INVALID_PARAMETER;
		}
		/* fall through */
	case BY_DRIVER:
	case BY_DRIVER | EXCLUSIVE:
		if (!efi_object_of(controller)) {
			return EFI_INVALID_PARAMETER;
		}
		/* fall through */
	case EXCLUSIVE:
		return efi_object_of(agent) ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
	default:
		return EFI_INVALID_PARAMETER;
	}
}

/* Driver and exclusive opens exclude each other (no driver can be asked to
 * let go); the other kinds are never refused (UEFI 2.10 §7.3 OpenProtocol). */
static efi_status_t check_conflict(const struct efi_protocol *p, efi_handle_t agent,
				   uint32_t attributes)
{
	if (!(attributes & (BY_DRIVER | EXCLUSIVE))) {
		return EFI_SUCCESS;
	}
	for (unsigned int i = 0; i < p->opener_count; i++) {
		const struct efi_opener *op = &p->openers[i];
		if (op->attributes & EXCLUSIVE) {
			return op->agent == agent ? EFI_ALREADY_STARTED : EFI_ACCESS_DENIED;
		}
		if ((attributes & (BY_DRIVER | EXCLUSIVE)) && (op->attributes & BY_DRIVER)) {
			return op->agent == agent ? EFI_ALREADY_STARTED : EFI_ACCESS_DENIED;
		}
	}
	return EFI_SUCCESS;
}

static bool record_opener(struct efi_protocol *p, efi_handle_t agent, efi_handle_t controller,
			  uint32_t attributes)
{
	unsigned int at = p->opener_count;

	for (unsigned int i = 0; i < p->opener_count; i++) {
		struct efi_opener *op = &p->openers[i];
		if (op->agent == agent && op->controller == controller &&
		    op->attributes == attributes) {
			op->count++;
			return true;
		}
	}
	/* Full: a shared open goes unrecorded, a driver or exclusive open
	 * takes the place of a shared one (those change no later answer);
	 * unrecorded, it would not be enforced. */
	if (at == EFI_OPENERS_PER_PROTOCOL) {
		if (!(attributes & (BY_DRIVER | EXCLUSIVE))) {
			return true;
		}
		for (at = 0; at < p->opener_count &&
			     (p->openers[at].attributes &
			      (BY_DRIVER | EXCLUSIVE | EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER));
		     at++) {
		}
		if (at == p->opener_count) {
			return false;
		}
	} else {
		p->opener_count++;
	}
	p->openers[at] = (struct efi_opener){agent, controller, attributes, 1};
	return true;
}

efi_status_t efi_bs_open_protocol(efi_handle_t handle, const efi_guid_t *protocol, void **iface,
				  efi_handle_t agent, efi_handle_t controller, uint32_t attributes)
{
	struct efi_object *o = efi_object_of(handle);

	if (!o || !protocol || (!iface && attributes != EFI_OPEN_PROTOCOL_TEST_PROTOCOL)) {
		return EFI_INVALID_PARAMETER;
	}
	efi_status_t s = check_attributes(handle, agent, controller, attributes);
	if (s != EFI_SUCCESS) {
		return s;
	}
	struct efi_protocol *p = efi_protocol_find(o, protocol);
	if (!p) {
		if (iface) {
			*iface = NULL;
		}
		return EFI_UNSUPPORTED;
	}
	if (attributes == EFI_OPEN_PROTOCOL_TEST_PROTOCOL) {
		return EFI_SUCCESS;
	}
	s = check_conflict(p, agent, attributes);
	if (s == EFI_SUCCESS && agent && !record_opener(p, agent, controller, attributes)) {
		return EFI_OUT_OF_RESOURCES;
	}
	if (s == EFI_ALREADY_STARTED || s == EFI_SUCCESS) {
		*iface = p->iface;
	}
	return s;
}

efi_status_t efi_bs_close_protocol(efi_handle_t handle, const efi_guid_t *protocol,
				   efi_handle_t agent, efi_handle_t controller)
{
	struct efi_object *o = efi_object_of(handle);

	if (!o || !protocol || !efi_object_of(agent) ||
	    (controller && !efi_object_of(controller))) {
		return EFI_INVALID_PARAMETER;
	}
	struct efi_protocol *p = efi_protocol_find(o, protocol);
	if (!p) {
		return EFI_NOT_FOUND;
	}
	unsigned int kept = 0;
	for (unsigned int i = 0; i < p->opener_count; i++) {
		const struct efi_opener *op = &p->openers[i];
		if (op->agent != agent || op->controller != controller) {
			p->openers[kept++] = *op;
		}
	}
	bool is_found = kept != p->opener_count;
	p->opener_count = kept;
	return is_found ? EFI_SUCCESS : EFI_NOT_FOUND;
}

efi_status_t efi_bs_open_protocol_information(efi_handle_t handle, const efi_guid_t *protocol,
					      struct efi_open_protocol_information_entry **entries,
					      uint64_t *count)
{
	struct efi_object *o = efi_object_of(handle);

	if (!o || !protocol || !entries || !count) {
		return EFI_INVALID_PARAMETER;
	}
	struct efi_protocol *p = efi_protocol_find(o, protocol);
	if (!p) {
		return EFI_NOT_FOUND;
	}
	struct efi_open_protocol_information_entry *e = NULL;
	uint64_t size = (p->opener_count ? p->opener_count : 1) * sizeof(*e);
	if (efi_bs_allocate_pool(EfiBootServicesData, size, (void **)&e) != EFI_SUCCESS) {
		return EFI_OUT_OF_RESOURCES;
	}
	for (unsigned int i = 0; i < p->opener_count; i++) {
		const struct efi_opener *op = &p->openers[i];
		e[i] = (struct efi_open_protocol_information_entry){op->agent, op->controller,
								    op->attributes, op->count};
	}
	*entries = e;
	*count = p->opener_count;
	return EFI_SUCCESS;
}
