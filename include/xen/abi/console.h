/* PV console ring page (public/io/console.h; xen-abi.md §4). */
#ifndef XEN_ABI_CONSOLE_H
#define XEN_ABI_CONSOLE_H

#include <stdint.h>

#define XENCONS_IN_SIZE 1024
#define XENCONS_OUT_SIZE 2048

#define XENCONS_CONNECTED 0
#define XENCONS_DISCONNECTED 1

struct xencons_interface {
	char in[XENCONS_IN_SIZE];
	char out[XENCONS_OUT_SIZE];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
	/* New in Xen 4.21; older backends leave it 0 (= connected). */
	uint8_t connection;
};

#endif
