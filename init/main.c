/* The generic start: console first, then the DT, memory and Xen services,
 * then the shell. Every failure is reported and the shell still starts, so
 * a user can look at what went wrong. */
#define LOG_PREFIX ""
#include <arch/arch.h>
#include <boot/env_default.h>
#include <boot/env_store.h>
#include <cmd/shell.h>
#include <drivers/pvcons.h>
#include <init/main.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/memmap.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <string.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

void xenboot_early_console(void)
{
	if (pvcons_is_ready() || pvcons_init_from_hvm()) {
		return; /* no console: nothing can be printed anyway */
	}
	xb_printf("xenboot %s\n", XENBOOT_VERSION);
}

void xenboot_reserve_own_memory(const struct dtinfo *dt)
{
	struct arch_image_info im;

	arch_image_info(&im);
	/* The image (EFI runtime code lives there) and the heap (boot
	 * services data) are told apart in the memory map. */
	if (memmap_add(im.load_addr, im.end - im.load_addr, MEMMAP_XENBOOT) ||
	    (im.heap_end > im.heap_start &&
	     memmap_add(im.heap_start, im.heap_end - im.heap_start, MEMMAP_HEAP)) ||
	    memmap_add(arch_virt_to_phys(dt->fdt), dt->fdt_size, MEMMAP_FDT)) {
		log_err("cannot record xenboot's own memory\n");
	}
}

static void platform_start(const void *fdt, uint64_t fdt_size)
{
	static struct dtinfo dt;
	int rc = dtinfo_parse(fdt, fdt_size, &dt);

	if (rc && rc != -E2BIG) {
		log_err("cannot use the device tree (%s): RAM and Xen services unknown\n",
			errno_name(rc));
		return;
	}
	dtinfo_set(&dt);
	rc = arch_platform_init(&dt);
	/* After it: the heap reaches its final size there (arm64). */
	xenboot_reserve_own_memory(&dt);
	if (rc) {
		log_err("memory setup failed: %s\n", errno_name(rc));
		return;
	}
	rc = shinfo_map(&dt);
	if (rc) {
		log_err("shared_info unavailable (%s): waits will poll\n", errno_name(rc));
		return;
	}
	evtchn_init();
	/* PV devices need both; without them the shell still works. */
	rc = gnttab_init(&dt);
	if (rc) {
		log_err("grant table unavailable: %s\n", errno_name(rc));
	}
	rc = xs_init();
	if (rc) {
		log_err("xenstore unavailable: %s\n", errno_name(rc));
	}
}

/* U-Boot's countdown on one line; true when a key (consumed) stopped it. */
static bool countdown(long secs)
{
	xb_printf("Hit any key to stop autoboot: %2ld ", secs);
	for (long left = secs;;) {
		/* 0 still looks once for a key already typed. */
		uint64_t deadline = arch_time_ns() + (left ? 1000000000ULL : 0);
		if (console_getc(deadline) >= 0) {
			xb_printf("\b\b\b%2d \n", 0);
			return true;
		}
		if (left-- == 0) {
			break;
		}
		xb_printf("\b\b\b%2ld ", left);
	}
	xb_printf("\n");
	return false;
}

int xenboot_autoboot(void)
{
	const char *delay = env_get("bootdelay");
	long secs = 1;
	uint64_t n;

	if (delay && delay[0] == '-') {
		secs = strcmp(delay, "-2") == 0 ? -2 : -1; /* -2: boot at once, no key check */
	} else if (delay && parse_u64(delay, 10, &n) == 0) {
		secs = (long)MIN(n, 3600ULL);
	}
	if (secs == -1 || (secs >= 0 && countdown(secs))) {
		return 1; /* disabled, or stopped by a key: the prompt */
	}
	if (!env_get("bootcmd")) {
		return 1;
	}
	return shell_run_var("bootcmd");
}

/* The defaults, then the environment saved on the boot disk, if any (a
 * missing one is silent, a corrupt one one warning: env_store_load()). */
static void env_start(void)
{
	if (env_set_defaults()) {
		log_err("default environment incomplete\n");
	}
	(void)env_store_load();
}

void xenboot_main(const void *fdt, uint64_t fdt_size)
{
	xenboot_early_console();
	platform_start(fdt, fdt_size);
	env_start();
	(void)xenboot_autoboot(); /* returns when nothing booted: the prompt */
	shell_loop();
}
