/* SCHEDOP_* (public/sched.h). */
#ifndef XEN_ABI_SCHED_H
#define XEN_ABI_SCHED_H

#include <xen/abi/xen.h>

#define SCHEDOP_yield 0
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4

struct sched_shutdown {
	uint32_t reason;
};

struct sched_poll {
	XEN_GUEST_HANDLE_64(uint32_t) ports;
	uint32_t nr_ports;
	uint64_t timeout;
};

#endif
