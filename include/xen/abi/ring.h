/* The generic shared ring of public/io/ring.h (xen-abi.md §5), written as
 * plain structs and functions instead of the token-pasting macros of the
 * original: one 64-byte header followed by a power-of-two array of
 * request/response unions. The indices are free-running u32 counters. */
#ifndef XEN_ABI_RING_H
#define XEN_ABI_RING_H

#include <stddef.h>
#include <stdint.h>

/* Mirrors the head of struct <name>_sring (public/io/ring.h). */
struct xen_sring_hdr {
	uint32_t req_prod;
	uint32_t req_event;
	uint32_t rsp_prod;
	uint32_t rsp_event;
	uint8_t private_area[4]; /* unused by blkif */
	uint8_t pad[44];
};

#define XEN_SRING_HDR_SIZE 64

/**
 * xen_ring_entries() - entries in a ring of @ring_bytes whose union is
 * @entry_size bytes: what fits after the header, rounded down to a power of
 * two (__RING_SIZE). 0 if not even one fits.
 */
static inline uint32_t xen_ring_entries(size_t ring_bytes, size_t entry_size)
{
	size_t n;
	uint32_t p = 1;

	if (ring_bytes <= XEN_SRING_HDR_SIZE || entry_size == 0) {
		return 0;
	}
	n = (ring_bytes - XEN_SRING_HDR_SIZE) / entry_size;
	if (n == 0) {
		return 0;
	}
	while ((size_t)p * 2 <= n) {
		p *= 2;
	}
	return p;
}

/**
 * xen_ring_need_notify() - the notify rule of RING_PUSH_REQUESTS_AND_CHECK_NOTIFY:
 * the other end asked to be woken at @event; we moved the producer from
 * @old to @new. Wrap-safe because all three are free-running u32.
 */
static inline int xen_ring_need_notify(uint32_t old, uint32_t new_prod, uint32_t event)
{
	return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old);
}

#endif
