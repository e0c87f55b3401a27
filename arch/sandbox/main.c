/* build/sandbox/xenboot: xenboot on the host, inside the simulated Xen,
 * with the PV console on this terminal. Time is real here (the unit tests
 * use simulated time), so timeouts feel as they would on Xen.
 *
 *   xenboot [-m SIZE] [-2] [-b BOOTARGS] [-n]
 *     -m SIZE   RAM of bank 0 (default 256M)
 *     -2        add a second bank of 64M at 0x200000000
 *     -b ARGS   /chosen/bootargs
 *     -n        no /hypervisor node in the DT */
#include <init/main.h>
#include <sandbox/os.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <string.h>

/* After standard input ends, give the guest this long to finish. */
#define EOF_GRACE_NS 300000000ULL

static int is_stdin_eof;
static uint64_t eof_idle_ns;

/* A backend that moves keystrokes from the terminal into the console. */
static int stdin_step(void *ctx)
{
	char buf[256];
	long n;

	(void)ctx;
	if (is_stdin_eof || sim_console_pending_input()) {
		return 0;
	}
	n = host_read_in(buf, sizeof(buf), 0);
	if (n < 0) {
		is_stdin_eof = 1;
		return 0;
	}
	sim_console_input(buf, (size_t)n);
	return n > 0;
}

static const struct sim_backend_ops stdin_ops = { .name = "stdin", .step = stdin_step };

/* Nothing to do: block on the terminal instead of spinning. */
static void host_idle(uint64_t ns)
{
	char buf[256];

	if (is_stdin_eof) {
		eof_idle_ns += ns;
		if (eof_idle_ns > EOF_GRACE_NS && !sim_console_pending_input()) {
			host_exit(0);
		}
		host_sleep_ns(ns);
		return;
	}
	long n = host_read_in(buf, sizeof(buf), ns);
	if (n < 0) {
		is_stdin_eof = 1;
	} else if (n > 0) {
		sim_console_input(buf, (size_t)n);
	}
}

static void on_shutdown(unsigned int reason, void *ctx)
{
	static const char *const names[] = { "poweroff", "reboot", "suspend", "crash",
					     "watchdog" };

	(void)ctx;
	host_print_err("\nsandbox: guest shut down (%s)\n",
		       reason < ARRAY_SIZE(names) ? names[reason] : "unknown");
	host_exit(reason == 0 ? 0 : 10 + (int)reason);
}

static int parse_args(int argc, char **argv, struct sim_config *cfg)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-m") && v && host_parse_size(v)) {
			cfg->banks[0].size = host_parse_size(v);
			i++;
		} else if (!strcmp(a, "-2")) {
			cfg->bank_count = 2;
			cfg->banks[1].base = SIM_RAM1_BASE;
			cfg->banks[1].size = 64ULL << 20;
		} else if (!strcmp(a, "-b") && v) {
			cfg->bootargs = v;
			i++;
		} else if (!strcmp(a, "-n")) {
			cfg->dt_mode = SIM_DT_NO_HYPERVISOR;
		} else {
			host_print_err("usage: %s [-m SIZE] [-2] [-b BOOTARGS] [-n]\n", argv[0]);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_config cfg = {
		.bank_count = 1,
		.banks = { { SIM_RAM0_BASE, 256ULL << 20 } },
		.host_time_ns = host_time_ns,
		.host_idle = host_idle,
	};
	uint64_t size;

	if (parse_args(argc, argv, &cfg)) {
		return 2;
	}
	if (sim_init(&cfg)) {
		host_print_err("sandbox: cannot set up the simulated Xen\n");
		return 1;
	}
	if (sim_xs_start()) {
		host_print_err("sandbox: cannot start the simulated xenstored\n");
		return 1;
	}
	sim_set_shutdown_hook(on_shutdown, NULL);
	sim_console_set_sink(host_write_out);
	if (sim_backend_add(&stdin_ops, NULL)) {
		return 1;
	}
	host_term_raw();
	const void *fdt = sim_fdt(&size);
	xenboot_main(fdt, size);
}
