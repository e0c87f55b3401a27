/* Simple Text Input and Input Ex on the PV console (UEFI 2.10 §12.2-12.3),
 * and the console handle's start step. Bytes are taken from the ring
 * without waiting, except to finish an escape sequence already begun: a
 * terminal sends ESC [ A at once, so the rest comes within ESC_WAIT_NS or
 * the ESC was the Esc key. The terminal tells no shift state: Input Ex
 * reports none (EFI_SHIFT_STATE_VALID clear), as for a serial console. */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <efi/console.h>
#include <efi/event.h>
#include <efi/services.h>
#include <lib/console.h>
#include <lib/errno.h>
#include <stdlib.h>
#include <string.h>

const efi_guid_t efi_guid_simple_text_input_ex =
    EFI_GUID(0xdd9e7534, 0x7762, 0x4698, 0x8c, 0x14, 0xf5, 0x85, 0x17, 0xa6, 0x25, 0xaa);

#define ESC_WAIT_NS 50000000ULL
/* Reset drains what is waiting, not a terminal that keeps sending. */
#define RESET_DRAIN_MAX 4096

static struct efi_console *con_check(struct efi_console *c)
{
	return c && c->magic == EFI_CONSOLE_MAGIC && !efi_get()->is_boot_services_exited ? c : NULL;
}

static struct efi_console *con_of_in(struct efi_simple_text_input_protocol *self)
{
	return self ? con_check(
			  (struct efi_console *)((char *)self - offsetof(struct efi_console, in)))
		    : NULL;
}

static struct efi_console *con_of_in_ex(struct efi_simple_text_input_ex_protocol *self)
{
	return self ? con_check((struct efi_console *)((char *)self -
						       offsetof(struct efi_console, in_ex)))
		    : NULL;
}

/* Why a call is refused: after ExitBootServices nothing here works any
 * more (EFI_UNSUPPORTED); before it, the arguments were bad. */
static efi_status_t refused(void)
{
	return efi_get()->is_boot_services_exited ? EFI_UNSUPPORTED : EFI_INVALID_PARAMETER;
}

/* Take the input bytes already there (@deadline 0), or wait for one more
 * until @deadline. Returns true if a byte came. */
static bool fill(struct efi_console *c, uint64_t deadline)
{
	bool got = false;

	while (c->in_len < sizeof(c->inbuf)) {
		int b = console_getc(got ? 0 : deadline);
		if (b < 0) {
			break;
		}
		c->inbuf[c->in_len++] = (uint8_t)b;
		got = true;
	}
	return got;
}

static void consume(struct efi_console *c, size_t n)
{
	memmove(c->inbuf, c->inbuf + n, c->in_len - n);
	c->in_len -= n;
}

/* The next key from the bytes held and the ring; false when there is none. */
static bool key_next(struct efi_console *c, struct efi_input_key *key)
{
	fill(c, 0);
	while (c->in_len) {
		size_t n = efi_con_key_parse(c->inbuf, c->in_len, false, key);
		uint64_t deadline = arch_time_ns() + ESC_WAIT_NS;
		while (!n && c->in_len < sizeof(c->inbuf) && fill(c, deadline)) {
			n = efi_con_key_parse(c->inbuf, c->in_len, false, key);
		}
		if (!n) {
			n = efi_con_key_parse(c->inbuf, c->in_len, true, key);
		}
		bool is_lf = c->inbuf[0] == '\n';
		consume(c, n);
		/* A terminal may send CR LF for Enter: one key. */
		bool is_same_enter = is_lf && c->is_after_cr;
		c->is_after_cr = key->unicode_char == CHAR_CARRIAGE_RETURN && !is_lf;
		if ((key->scan_code || key->unicode_char) && !is_same_enter) {
			return true;
		}
	}
	return false;
}

static efi_status_t read_key(struct efi_console *c, struct efi_input_key *key)
{
	struct efi_input_key k;

	/* A key read is one of the places timers and callbacks get their turn. */
	efi_events_poll();
	if (!key_next(c, &k)) {
		return EFI_NOT_READY;
	}
	*key = k;
	return EFI_SUCCESS;
}

static efi_status_t con_read_key_stroke(struct efi_simple_text_input_protocol *self,
					struct efi_input_key *key)
{
	struct efi_console *c = con_of_in(self);

	return c && key ? read_key(c, key) : refused();
}

static efi_status_t con_read_key_stroke_ex(struct efi_simple_text_input_ex_protocol *self,
					   struct efi_key_data *data)
{
	struct efi_console *c = con_of_in_ex(self);

	if (!c || !data) {
		return refused();
	}
	data->key_state = (struct efi_key_state){0};
	return read_key(c, &data->key);
}

static void drain(struct efi_console *c)
{
	c->in_len = 0;
	c->is_after_cr = false;
	for (unsigned int i = 0; i < RESET_DRAIN_MAX && console_getc(0) >= 0; i++) {
	}
}

static efi_status_t con_in_reset(struct efi_simple_text_input_protocol *self, bool extended)
{
	struct efi_console *c = con_of_in(self);

	if (!c) {
		return refused();
	}
	drain(c);
	return EFI_SUCCESS;
}

static efi_status_t con_in_ex_reset(struct efi_simple_text_input_ex_protocol *self, bool extended)
{
	struct efi_console *c = con_of_in_ex(self);

	if (!c) {
		return refused();
	}
	drain(c);
	return EFI_SUCCESS;
}

static efi_status_t con_set_state(struct efi_simple_text_input_ex_protocol *self,
				  uint8_t *toggle_state)
{
	/* A terminal's lock keys are its own business. */
	return con_of_in_ex(self) && toggle_state ? EFI_UNSUPPORTED : refused();
}

static efi_status_t con_register_key_notify(struct efi_simple_text_input_ex_protocol *self,
					    struct efi_key_data *key, efi_key_notify_t fn,
					    void **handle)
{
	/* Hot keys would need input read behind the image's back: not offered. */
	return con_of_in_ex(self) && key && fn && handle ? EFI_UNSUPPORTED : refused();
}

static efi_status_t con_unregister_key_notify(struct efi_simple_text_input_ex_protocol *self,
					      void *handle)
{
	/* Nothing was ever registered, so no handle is ours. */
	return refused();
}

/* WaitForKey(Ex): a wait-type event whose notification looks at the ring
 * each time the event is checked, and signals it when a byte is waiting. */
static void wait_for_key_notify(efi_event_t event, void *ctx)
{
	struct efi_console *c = ctx;

	fill(c, 0);
	if (c->in_len) {
		(void)efi_bs_signal_event(event);
	}
}

static void con_in_init(struct efi_console *c)
{
	c->in = (struct efi_simple_text_input_protocol){
	    .reset = con_in_reset,
	    .read_key_stroke = con_read_key_stroke,
	};
	c->in_ex = (struct efi_simple_text_input_ex_protocol){
	    .reset = con_in_ex_reset,
	    .read_key_stroke_ex = con_read_key_stroke_ex,
	    .set_state = con_set_state,
	    .register_key_notify = con_register_key_notify,
	    .unregister_key_notify = con_unregister_key_notify,
	};
}

/* The console handle with its three protocols, and the system table's
 * ConIn/ConOut/StdErr on it (StdErr is ConOut: one console). */
int efi_console_start(struct efi *e)
{
	struct efi_console *c = calloc(1, sizeof(*c));

	if (!c) {
		return -ENOMEM;
	}
	c->magic = EFI_CONSOLE_MAGIC;
	con_in_init(c);
	efi_con_out_init(c);
	if (efi_bs_create_event(EVT_NOTIFY_WAIT, TPL_NOTIFY, wait_for_key_notify, c,
				&c->in.wait_for_key) != EFI_SUCCESS ||
	    efi_bs_create_event(EVT_NOTIFY_WAIT, TPL_NOTIFY, wait_for_key_notify, c,
				&c->in_ex.wait_for_key_ex) != EFI_SUCCESS) {
		goto err_events;
	}
	int rc = efi_handle_create(&c->handle);
	if (rc) {
		goto err_events;
	}
	if (efi_protocol_add(c->handle, &efi_guid_simple_text_input, &c->in) ||
	    efi_protocol_add(c->handle, &efi_guid_simple_text_input_ex, &c->in_ex) ||
	    efi_protocol_add(c->handle, &efi_guid_simple_text_output, &c->out)) {
		/* A new handle has room for three: cannot happen. */
		return -ENOSPC;
	}
	e->systab.console_in_handle = c->handle;
	e->systab.con_in = &c->in;
	e->systab.console_out_handle = c->handle;
	e->systab.con_out = &c->out;
	e->systab.standard_error_handle = c->handle;
	e->systab.std_err = &c->out;
	return 0;

err_events:
	(void)efi_bs_close_event(c->in.wait_for_key);
	(void)efi_bs_close_event(c->in_ex.wait_for_key_ex);
	free(c);
	return -ENOMEM;
}
