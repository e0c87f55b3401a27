/* Stall, the watchdog and the monotonic count (UEFI 2.10 §7.5).
 *
 * The watchdog is real: an image the boot manager starts gets five minutes
 * (§3.1.2) unless it disables the watchdog, as GRUB and systemd-boot do
 * first thing; the Linux EFI stub leaves it and ExitBootServices disarms it.
 * Like everything else here it is checked when events are polled, so a
 * loader stuck in a loop that never calls a time, event or console service
 * is not caught: resetting the domain needs a call into us. On expiry we
 * say so and reset the domain (SCHEDOP_shutdown reboot, as the shell's
 * `reset`): the toolstack's on_reboot decides what happens next. */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <efi/event.h>
#include <efi/services.h>
#include <lib/console.h>
#include <lib/log.h>
#include <stdlib.h>
#include <xen/abi/sched.h>
#include <xen/evtchn.h>
#include <xen/xen.h>

#define NS_PER_US 1000ULL
#define NS_PER_S 1000000000ULL

efi_status_t efi_bs_stall(uint64_t microseconds)
{
	uint64_t deadline, ns;

	/* An absurd stall waits forever, polled (the watchdog still runs). */
	if (__builtin_mul_overflow(microseconds, NS_PER_US, &ns) ||
	    __builtin_add_overflow(arch_time_ns(), ns, &deadline)) {
		deadline = UINT64_MAX;
	}
	for (;;) {
		evtchn_rearm(); /* before the checks: an event after them wakes us */
		efi_events_poll();
		uint64_t now = arch_time_ns();
		if (now >= deadline) {
			return EFI_SUCCESS;
		}
		arch_wait(efi_events_wait_until(now, deadline));
	}
}

/* The printable start of WatchdogData (a UCS-2 string, maybe not
 * terminated within @size bytes), for the expiry message. */
static void watchdog_data_copy(struct efi_watchdog *w, uint64_t size, const efi_char16_t *data)
{
	size_t n = 0;

	for (uint64_t i = 0; data && i < size / 2 && n + 1 < sizeof(w->data) && data[i]; i++) {
		w->data[n++] = data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '?';
	}
	w->data[n] = '\0';
}

efi_status_t efi_bs_set_watchdog_timer(uint64_t timeout, uint64_t code, uint64_t size,
				       efi_char16_t *data)
{
	struct efi *e = efi_get();
	uint64_t ns, deadline;

	if (!timeout) {
		if (e->watchdog) {
			e->watchdog->deadline_ns = 0;
		}
		return EFI_SUCCESS;
	}
	/* Codes up to 0xffff are the firmware's, but EDK2 and U-Boot take any
	 * code and loaders pass 0: refusing would break them for nothing. */
	if (!e->watchdog) {
		e->watchdog = calloc(1, sizeof(*e->watchdog));
		if (!e->watchdog) {
			return EFI_OUT_OF_RESOURCES;
		}
	}
	if (__builtin_mul_overflow(timeout, NS_PER_S, &ns) ||
	    __builtin_add_overflow(arch_time_ns(), ns, &deadline)) {
		deadline = UINT64_MAX;
	}
	e->watchdog->deadline_ns = deadline;
	e->watchdog->code = code;
	watchdog_data_copy(e->watchdog, size, data);
	return EFI_SUCCESS;
}

void efi_watchdog_check(struct efi *e, uint64_t now)
{
	struct efi_watchdog *w = e->watchdog;

	if (!w || !w->deadline_ns || now < w->deadline_ns) {
		return;
	}
	w->deadline_ns = 0;
	log_notice("EFI watchdog expired (code 0x%llx%s%s): resetting the domain\n",
		   (unsigned long long)w->code, w->data[0] ? ", " : "", w->data);
	console_flush(now + NS_PER_S);
	int rc = xen_shutdown(SHUTDOWN_reboot);
	log_err("reset refused: %d; the image goes on\n", rc);
}

efi_status_t efi_bs_get_next_monotonic_count(uint64_t *count)
{
	struct efi *e = efi_get();

	if (!count) {
		return EFI_INVALID_PARAMETER;
	}
	/* The high 32 bits would count boots (§7.5); with no persistent
	 * counter of our own they start at 0 each boot. */
	*count = e->monotonic++;
	return EFI_SUCCESS;
}
