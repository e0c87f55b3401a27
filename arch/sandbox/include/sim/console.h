/* The console backend of the simulated Xen (xenconsoled's role): it serves
 * the real xencons_interface ring at HVM_PARAM_CONSOLE_PFN, collects what the
 * guest writes and feeds it input. Faults make it misbehave on purpose. */
#ifndef SIM_CONSOLE_H
#define SIM_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

enum sim_console_fault {
	SIM_CONS_OK = 0,
	SIM_CONS_STALL,		/* alive but never consumes output or produces input */
	SIM_CONS_DISCONNECT,	/* gone: connection = DISCONNECTED, nothing moves */
	SIM_CONS_IN_PROD_JUMP,	/* in_prod jumps more than a ring ahead of in_cons */
	SIM_CONS_OUT_CONS_BACK, /* out_cons moves backwards, more than a ring */
	SIM_CONS_OUT_CONS_AHEAD, /* out_cons moves past out_prod */
	SIM_CONS_IN_FULL,	/* input ring filled to the brim with 'x' */
};

/** sim_console_fault() - switch behaviour; index faults are applied once, on the next step. */
void sim_console_fault(enum sim_console_fault fault);
/** sim_console_input() - queue @len bytes for the guest; returns how many fit (64 KiB queue). */
size_t sim_console_input(const char *buf, size_t len);
/** sim_console_output() - everything the guest wrote since the last clear (NUL-terminated). */
const char *sim_console_output(size_t *len);
/** sim_console_output_clear() - forget collected output. */
void sim_console_output_clear(void);
/** sim_console_set_rate() - consume at most @bytes of output per step (0: unlimited). */
void sim_console_set_rate(size_t bytes);
/** sim_console_set_sink() - also pass each output chunk to @sink (the interactive sandbox). */
void sim_console_set_sink(void (*sink)(const char *buf, size_t len));
/** sim_console_pending_input() - queued input bytes not yet in the ring. */
size_t sim_console_pending_input(void);

#endif
