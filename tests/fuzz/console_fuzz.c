/* The PV console frontend against a backend that writes whatever it likes
 * into the shared ring: producer and consumer indices and the input bytes
 * (STYLE U1). The sim's console backend is stalled so only the fuzzer moves
 * the backend's side.
 *
 * Input: a sequence of 9-byte steps {op, in_prod (le32), out_cons (le32)};
 * whatever follows the last whole step fills the "in" ring. Each step sets
 * the two backend indices and then, by op, reads input or writes output. */
#include <drivers/pvcons.h>
#include <fuzz.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <string.h>

#define STEP_SIZE 9
#define MAX_STEPS 64

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void console_fuzz(const uint8_t *data, size_t size)
{
	/* A fresh world per input, so inputs do not influence each other
	 * (and simulated time does not pile up across runs). */
	static const struct sim_config cfg = {
		.bank_count = 1,
		.banks = { { SIM_RAM0_BASE, 16u << 20 } },
	};
	size_t steps = size / STEP_SIZE;
	char buf[XENCONS_IN_SIZE + 16];

	if (sim_init(&cfg)) {
		__builtin_trap();
	}
	sim_console_fault(SIM_CONS_STALL);
	if (steps > MAX_STEPS) {
		steps = MAX_STEPS;
	}
	struct xencons_interface *r = sim_console_ring();
	memset(r, 0, sizeof(*r));
	memcpy(r->in, data + steps * STEP_SIZE,
	       MIN(size - steps * STEP_SIZE, (size_t)XENCONS_IN_SIZE));
	pvcons_init(r, SIM_CONSOLE_PORT);
	for (size_t i = 0; i < steps; i++) {
		const uint8_t *s = data + i * STEP_SIZE;
		r->in_prod = le32(s + 1);
		r->out_cons = le32(s + 5);
		r->connection = s[0] & 0x80 ? XENCONS_DISCONNECTED : XENCONS_CONNECTED;
		uint32_t cons_before = r->in_cons;
		if (s[0] & 1) {
			size_t want = (size_t)(s[0] >> 1 & 0x3f) * 17 + 1;
			size_t n = pvcons_read(buf, want, sim_time_ns());
			fuzz_check(n <= want && n <= XENCONS_IN_SIZE);
			/* The frontend hands back only what it took. */
			fuzz_check(r->in_cons - cons_before == n);
		} else {
			/* A stuck or lying backend costs at most one bounded wait. */
			pvcons_write("fuzz\n", 5);
		}
	}
}

FUZZ_TARGET(console_fuzz)
