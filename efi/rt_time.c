/* The time services (UEFI 2.10 §8.3). GetTime answers Xen's wallclock plus
 * the generic timer. On Arm, Xen gives each domain the UTC time at Xen's
 * boot plus the domain's creation time (whole seconds: domain_vtimer_init()
 * in xen/arch/arm/vtimer.c sets time_offset), which is where the domain's
 * virtual counter starts; so the time is that plus the virtual counter's
 * time, as Linux reads it (xen_read_wallclock() adds its monotonic clock).
 * The wallclock is read while shared_info is mapped (efi_start(), and each
 * GetTime during boot services); after ExitBootServices the counter alone
 * moves it on, so the runtime path touches no shared page. The wakeup
 * timer and SetTime have nothing behind them: EFI_UNSUPPORTED. */
#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/units.h>
#include <xen/xen.h>

#define SECS_PER_DAY 86400u
#define EFI_TIME_YEAR_MAX 9999u

/* Read Xen's wallclock again (boot services only: needs shared_info). */
static void refresh_wallclock(struct efi_runtime *r)
{
	uint64_t sec;
	uint32_t nsec;

	/* 2^34 s is after the year 2500: beyond that, Xen's value is garbage. */
	if (xen_wallclock(&sec, &nsec) == 0 && sec < (1ULL << 34) && nsec < NS_PER_SEC) {
		r->wallclock_ns = sec * NS_PER_SEC + nsec;
		r->has_wallclock = true;
	}
}

void efi_time_capture(struct efi *e)
{
	refresh_wallclock(&e->runtime);
}

/* UTC @ns since 1970 as EFI_TIME: the civil date of a day count, the
 * proleptic Gregorian calendar in 400-year eras of 146097 days. */
void efi_time_from_ns(uint64_t ns, struct efi_time *t)
{
	uint64_t secs = ns / NS_PER_SEC, days = secs / SECS_PER_DAY;
	uint32_t rem = (uint32_t)(secs % SECS_PER_DAY);
	uint64_t z = days + 719468; /* days since 0000-03-01 */
	uint64_t era = z / 146097, doe = z % 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153; /* months since March */
	uint32_t month = (uint32_t)(mp < 10 ? mp + 3 : mp - 9);
	uint64_t year = era * 400 + yoe + (month <= 2);

	*t = (struct efi_time){
	    .year = (uint16_t)MIN(year, (uint64_t)EFI_TIME_YEAR_MAX),
	    .month = (uint8_t)month,
	    .day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1),
	    .hour = (uint8_t)(rem / 3600),
	    .minute = (uint8_t)(rem / 60 % 60),
	    .second = (uint8_t)(rem % 60),
	    .nanosecond = (uint32_t)(ns % NS_PER_SEC),
	    .time_zone = EFI_UNSPECIFIED_TIMEZONE,
	};
}

efi_status_t efi_rt_get_time(struct efi_time *time, struct efi_time_capabilities *cap)
{
	struct efi *e = efi_get();

	if (!time) {
		return EFI_INVALID_PARAMETER;
	}
	if (!e->is_boot_services_exited) {
		refresh_wallclock(&e->runtime);
	}
	if (!e->runtime.has_wallclock) {
		return EFI_DEVICE_ERROR;
	}
	efi_time_from_ns(e->runtime.wallclock_ns + arch_time_ns(), time);
	if (cap) {
		/* Reported in 1 Hz steps like a PC RTC; 50 ppm (x 10^6), never zeroed. */
		*cap = (struct efi_time_capabilities){.resolution = 1, .accuracy = 50000000};
	}
	return EFI_SUCCESS;
}

efi_status_t efi_rt_set_time(struct efi_time *time)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_get_wakeup_time(bool *enabled, bool *pending, struct efi_time *time)
{
	return EFI_UNSUPPORTED;
}

efi_status_t efi_rt_set_wakeup_time(bool enable, struct efi_time *time)
{
	return EFI_UNSUPPORTED;
}
