/* Events, timers and TPL inside xenboot's EFI layer (efi/bs_event.c,
 * efi/bs_time.c). There is no timer interrupt: timers, the watchdog and
 * pending notifications are looked at whenever events are polled, which
 * CheckEvent, WaitForEvent, Stall, RestoreTPL and the console's key reads do.
 * An application that spins without calling any of them sees no callback. */
#ifndef EFI_EVENT_H
#define EFI_EVENT_H

#include <efi/efi.h>

/* EFI_EVENT_GROUP_* (UEFI 2.10 §7.1, CreateEventEx). */
extern const efi_guid_t efi_guid_event_group_exit_boot_services;
extern const efi_guid_t efi_guid_event_group_before_exit_boot_services;
extern const efi_guid_t efi_guid_event_group_virtual_address_change;
extern const efi_guid_t efi_guid_event_group_ready_to_boot;

struct efi_event {
	uint32_t magic; /* EFI_EVENT_MAGIC while on the list */
	struct efi_event *next;
	uint32_t type;
	efi_tpl_t notify_tpl;
	efi_event_notify_t fn;
	void *ctx;
	efi_guid_t group;
	bool has_group;
	bool is_signaled;
	bool is_queued; /* its notification function is due */
	uint32_t timer; /* enum efi_timer_delay; TimerCancel: not armed */
	uint64_t trigger_ns, period_ns;
};
#define EFI_EVENT_MAGIC 0x5456454fu /* "OEVT" */

/* The watchdog (SetWatchdogTimer), allocated when first armed. */
struct efi_watchdog {
	uint64_t deadline_ns; /* 0: disarmed */
	uint64_t code;
	char data[48]; /* the start of WatchdogData, printable ASCII */
};

/** efi_event_of() - @h if it is one of our live events, else NULL. */
struct efi_event *efi_event_of(efi_event_t h);

/**
 * efi_events_poll() - check the watchdog and the timers against the clock and
 * run the notifications due above the current TPL. For code that waits on
 * its own (a console read, a long disk transfer) while an image runs.
 */
void efi_events_poll(void);

/**
 * efi_events_signal_group() - signal every event of @group and run their
 * notifications: for the boot manager, EFI_EVENT_GROUP_READY_TO_BOOT just
 * before it starts a boot option (§3.1.2).
 */
void efi_events_signal_group(const efi_guid_t *group);

/** efi_events_next_deadline() - the earliest armed timer or watchdog, or UINT64_MAX. */
uint64_t efi_events_next_deadline(void);

/* Timers are checked once a tick at most while we wait (EDK2's timer
 * tick is 10 ms): shorter periods fire once a tick, not in a spin. */
#define EFI_EVENTS_TICK_NS 1000000ULL

/**
 * efi_events_wait_until() - what to pass arch_wait() at @now when waiting
 * for @deadline or an event: the earliest of @deadline, the next timer or
 * watchdog (a tick from now at the earliest) and a 20 ms slice.
 */
uint64_t efi_events_wait_until(uint64_t now, uint64_t deadline);

/** efi_watchdog_check() - reset the domain if the watchdog expired at @now (efi/bs_time.c). */
void efi_watchdog_check(struct efi *e, uint64_t now);

#endif
