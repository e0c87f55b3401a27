/* Events and task priority levels (UEFI 2.10 §7.1), polled: xenboot takes
 * no timer interrupt, so timers fire and notifications run when events are
 * polled (include/efi/event.h says when). Notifications are queued by
 * SignalEvent and run, highest TPL first, whenever the TPL is below theirs:
 * at once when signalled at TPL_APPLICATION, or when RestoreTPL lowers it. */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <efi/event.h>
#include <efi/services.h>
#include <lib/log.h>
#include <xen/evtchn.h>
#include <stdlib.h>
#include <string.h>

const efi_guid_t efi_guid_event_group_exit_boot_services =
    EFI_GUID(0x27abf055, 0xb1b8, 0x4c26, 0x80, 0x48, 0x74, 0x8f, 0x37, 0xba, 0xa2, 0xdf);
const efi_guid_t efi_guid_event_group_before_exit_boot_services =
    EFI_GUID(0x8be0e274, 0x3970, 0x4b44, 0x80, 0xc5, 0x1a, 0xb9, 0x50, 0x2f, 0x3b, 0xfc);
const efi_guid_t efi_guid_event_group_virtual_address_change =
    EFI_GUID(0x13fa7698, 0xc831, 0x49c7, 0x87, 0xea, 0x8f, 0x43, 0xfc, 0xc2, 0x51, 0x96);
const efi_guid_t efi_guid_event_group_ready_to_boot =
    EFI_GUID(0x7ce88fb3, 0x4bd7, 0x4679, 0x87, 0xa8, 0xa8, 0xd8, 0xde, 0xe5, 0x0d, 0x2b);

/* A notification that signals itself again would otherwise keep one
 * dispatch going forever; the rest waits for the next poll. */
#define DISPATCH_MAX 256

struct efi_event *efi_event_of(efi_event_t h)
{
	/* Walk the list rather than trust the pointer (as efi_object_of()). */
	for (struct efi_event *ev = efi_get()->events; h && ev; ev = ev->next) {
		if (ev == h) {
			return ev->magic == EFI_EVENT_MAGIC ? ev : NULL;
		}
	}
	return NULL;
}

/* Run the queued notifications whose TPL is above the current one, highest
 * first, each at its own TPL. The list may change inside a notification
 * (it may close events), so each round starts from the head again. */
static void dispatch(struct efi *e)
{
	for (unsigned int n = 0; n < DISPATCH_MAX; n++) {
		struct efi_event *best = NULL;
		for (struct efi_event *ev = e->events; ev; ev = ev->next) {
			if (ev->is_queued && ev->notify_tpl > e->tpl &&
			    (!best || ev->notify_tpl > best->notify_tpl)) {
				best = ev;
			}
		}
		if (!best) {
			return;
		}
		best->is_queued = false;
		/* A signal-type event is signalled once per notification
		 * (a periodic timer signals it again); wait-type events are
		 * cleared by CheckEvent only. */
		if (best->type & EVT_NOTIFY_SIGNAL) {
			best->is_signaled = false;
		}
		efi_tpl_t saved = e->tpl;
		e->tpl = best->notify_tpl;
		best->fn(best, best->ctx);
		e->tpl = saved;
	}
}

static void signal_one(struct efi_event *ev)
{
	if (!ev->is_signaled) {
		ev->is_signaled = true;
		if (ev->type & EVT_NOTIFY_SIGNAL) {
			ev->is_queued = true;
		}
	}
}

/* Signal @ev and, if it belongs to a group, every event of the group. */
static void signal_event(struct efi *e, struct efi_event *ev)
{
	if (!ev->has_group) {
		signal_one(ev);
		return;
	}
	for (struct efi_event *m = e->events; m; m = m->next) {
		if (m->has_group && efi_guid_eq(&m->group, &ev->group)) {
			signal_one(m);
		}
	}
}

static void signal_group(struct efi *e, const efi_guid_t *group)
{
	for (struct efi_event *m = e->events; m; m = m->next) {
		if (m->has_group && efi_guid_eq(&m->group, group)) {
			signal_one(m);
		}
	}
}

/* Fire the timers due at @now; a periodic one is re-armed from now when it
 * fell behind (no burst of catch-up signals after a long Stall). */
static void timers_check(struct efi *e, uint64_t now)
{
	for (struct efi_event *ev = e->events; ev; ev = ev->next) {
		if (ev->timer == TimerCancel || now < ev->trigger_ns) {
			continue;
		}
		if (ev->timer == TimerPeriodic) {
			uint64_t next = ev->trigger_ns + ev->period_ns;
			ev->trigger_ns = next > now ? next : now + ev->period_ns;
			if (ev->trigger_ns < now) {
				ev->trigger_ns = UINT64_MAX; /* overflowed: never again */
			}
		} else {
			ev->timer = TimerCancel;
		}
		signal_event(e, ev);
	}
}

void efi_events_poll(void)
{
	struct efi *e = efi_get();
	uint64_t now = arch_time_ns();

	efi_watchdog_check(e, now);
	timers_check(e, now);
	dispatch(e);
}

uint64_t efi_events_next_deadline(void)
{
	struct efi *e = efi_get();
	uint64_t next =
	    e->watchdog && e->watchdog->deadline_ns ? e->watchdog->deadline_ns : UINT64_MAX;

	for (struct efi_event *ev = e->events; ev; ev = ev->next) {
		if (ev->timer != TimerCancel && ev->trigger_ns < next) {
			next = ev->trigger_ns;
		}
	}
	return next;
}

efi_tpl_t efi_bs_raise_tpl(efi_tpl_t new_tpl)
{
	struct efi *e = efi_get();
	efi_tpl_t old = e->tpl;

	/* Raising below the current level is the caller's bug (§7.1 leaves
	 * it undefined): the level stays, so notifications cannot run early. */
	if (new_tpl > TPL_HIGH_LEVEL) {
		new_tpl = TPL_HIGH_LEVEL;
	}
	if (new_tpl > old) {
		e->tpl = new_tpl;
	}
	return old;
}

void efi_bs_restore_tpl(efi_tpl_t old_tpl)
{
	struct efi *e = efi_get();

	/* Restoring above the current level is the caller's bug: ignored. */
	if (old_tpl > e->tpl) {
		return;
	}
	e->tpl = old_tpl < TPL_APPLICATION ? TPL_APPLICATION : old_tpl;
	efi_events_poll();
}

/* The type rules of CreateEvent(Ex); *@group is set for the legacy types
 * that stand for an event group. */
static efi_status_t type_check(uint32_t type, efi_tpl_t tpl, efi_event_notify_t fn,
			       const efi_guid_t **group)
{
	const uint32_t known = EVT_TIMER | EVT_RUNTIME | EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL;

	if (type == EVT_SIGNAL_EXIT_BOOT_SERVICES || type == EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE) {
		if (*group) {
			return EFI_INVALID_PARAMETER;
		}
		*group = type == EVT_SIGNAL_EXIT_BOOT_SERVICES
			     ? &efi_guid_event_group_exit_boot_services
			     : &efi_guid_event_group_virtual_address_change;
	} else if ((type & ~known) || (type & (EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL)) ==
					  (EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL)) {
		return EFI_INVALID_PARAMETER;
	}
	/* A notification needs a function and a level notifications can run
	 * at: above TPL_APPLICATION, below TPL_HIGH_LEVEL (TPL_CALLBACK and
	 * TPL_NOTIFY are the spec's; EDK2 takes the levels between too). */
	if ((type & (EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL)) &&
	    (!fn || tpl <= TPL_APPLICATION || tpl >= TPL_HIGH_LEVEL)) {
		return EFI_INVALID_PARAMETER;
	}
	return EFI_SUCCESS;
}

efi_status_t efi_bs_create_event_ex(uint32_t type, efi_tpl_t notify_tpl, efi_event_notify_t fn,
				    const void *ctx, const efi_guid_t *group, efi_event_t *event)
{
	struct efi *e = efi_get();

	if (!event) {
		return EFI_INVALID_PARAMETER;
	}
	efi_status_t s = type_check(type, notify_tpl, fn, &group);
	if (s != EFI_SUCCESS) {
		return s;
	}
	struct efi_event *ev = calloc(1, sizeof(*ev));
	if (!ev) {
		return EFI_OUT_OF_RESOURCES;
	}
	ev->magic = EFI_EVENT_MAGIC;
	ev->type = type;
	ev->fn = (type & (EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL)) ? fn : NULL;
	ev->notify_tpl = notify_tpl;
	ev->ctx = (void *)ctx;
	ev->timer = TimerCancel;
	if (group) {
		memcpy(&ev->group, group, sizeof(ev->group));
		ev->has_group = true;
	}
	ev->next = e->events;
	e->events = ev;
	*event = ev;
	return EFI_SUCCESS;
}

efi_status_t efi_bs_create_event(uint32_t type, efi_tpl_t notify_tpl, efi_event_notify_t fn,
				 void *ctx, efi_event_t *event)
{
	return efi_bs_create_event_ex(type, notify_tpl, fn, ctx, NULL, event);
}

efi_status_t efi_bs_close_event(efi_event_t event)
{
	struct efi *e = efi_get();

	for (struct efi_event **p = &e->events; event && *p; p = &(*p)->next) {
		if (*p == event) {
			struct efi_event *ev = *p;
			*p = ev->next;
			ev->magic = 0;
			free(ev);
			return EFI_SUCCESS;
		}
	}
	return EFI_INVALID_PARAMETER;
}

efi_status_t efi_bs_signal_event(efi_event_t event)
{
	struct efi *e = efi_get();
	struct efi_event *ev = efi_event_of(event);

	if (!ev) {
		return EFI_INVALID_PARAMETER;
	}
	signal_event(e, ev);
	dispatch(e);
	return EFI_SUCCESS;
}

efi_status_t efi_bs_check_event(efi_event_t event)
{
	struct efi *e = efi_get();
	struct efi_event *ev = efi_event_of(event);

	if (!ev || (ev->type & EVT_NOTIFY_SIGNAL)) {
		return EFI_INVALID_PARAMETER;
	}
	efi_events_poll();
	/* A wait-type event's notification is how it finds out (the console's
	 * WaitForKey looks at the ring); it may close the event itself. */
	if (!ev->is_signaled && (ev->type & EVT_NOTIFY_WAIT)) {
		ev->is_queued = true;
		dispatch(e);
		if (efi_event_of(event) != ev) {
			return EFI_INVALID_PARAMETER;
		}
	}
	if (ev->is_signaled) {
		ev->is_signaled = false;
		return EFI_SUCCESS;
	}
	return EFI_NOT_READY;
}

/* The longest arch_wait() while waiting for events: input reaches the ring
 * with an event-channel upcall, but polling now and then costs little and
 * does not depend on it. */
#define WAIT_SLICE_NS 20000000ULL

uint64_t efi_events_wait_until(uint64_t now, uint64_t deadline)
{
	uint64_t until = efi_events_next_deadline();

	/* Timers are looked at once a tick at most: a periodic timer of
	 * period 0 ("every check") or of a few 100 ns units is always due,
	 * and waiting for it would be a spin. */
	if (until < now + EFI_EVENTS_TICK_NS) {
		until = now + EFI_EVENTS_TICK_NS;
	}
	if (until - now > WAIT_SLICE_NS) {
		until = now + WAIT_SLICE_NS;
	}
	return deadline < until ? deadline : until;
}

efi_status_t efi_bs_wait_for_event(uint64_t n, efi_event_t *events, uint64_t *index)
{
	struct efi *e = efi_get();

	if (e->tpl != TPL_APPLICATION) {
		return EFI_UNSUPPORTED;
	}
	if (!n || !events) {
		return EFI_INVALID_PARAMETER;
	}
	for (;;) {
		evtchn_rearm(); /* before the checks: an event after them wakes us */
		for (uint64_t i = 0; i < n; i++) {
			efi_status_t s = efi_bs_check_event(events[i]);
			if (s != EFI_NOT_READY) {
				if (index) {
					*index = i;
				}
				return s;
			}
		}
		arch_wait(efi_events_wait_until(arch_time_ns(), UINT64_MAX));
	}
}

efi_status_t efi_bs_set_timer(efi_event_t event, uint32_t type, uint64_t trigger_time)
{
	struct efi_event *ev = efi_event_of(event);
	uint64_t ns;

	if (!ev || !(ev->type & EVT_TIMER) || type > TimerRelative) {
		return EFI_INVALID_PARAMETER;
	}
	/* 100 ns units; an absurd time never comes. */
	if (__builtin_mul_overflow(trigger_time, 100, &ns)) {
		ns = UINT64_MAX;
	}
	uint64_t now = arch_time_ns();
	ev->timer = type;
	ev->period_ns = type == TimerPeriodic ? ns : 0;
	if (__builtin_add_overflow(now, ns, &ev->trigger_ns)) {
		ev->trigger_ns = UINT64_MAX;
	}
	return EFI_SUCCESS;
}

void efi_events_signal_group(const efi_guid_t *group)
{
	struct efi *e = efi_get();

	signal_group(e, group);
	dispatch(e);
}

void efi_events_exit_boot_services(void)
{
	struct efi *e = efi_get();

	efi_events_signal_group(&efi_guid_event_group_before_exit_boot_services);
	efi_events_signal_group(&efi_guid_event_group_exit_boot_services);
	/* Nothing may fire once the OS owns the machine (§7.4: the watchdog
	 * is disabled too). */
	for (struct efi_event *ev = e->events; ev; ev = ev->next) {
		ev->timer = TimerCancel;
		ev->is_queued = false;
	}
	if (e->watchdog) {
		e->watchdog->deadline_ns = 0;
	}
}
