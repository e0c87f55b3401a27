/* The frontend's half of a shared ring (public/io/ring.h; xen-abi.md §5):
 * the index steps every PV frontend repeats - publish requests and decide
 * whether to notify, take the response producer once and check it, and the
 * final check that re-arms the event - shared by blkfront and netfront.
 * The entries themselves stay the driver's: only it knows their layout. */
#ifndef XEN_RING_H
#define XEN_RING_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/abi/ring.h>

/**
 * xen_ring_push_requests() - make requests up to @new_prod visible (entries
 * first, then req_prod) and say whether the backend asked to be notified
 * of them: its req_event lies in (@old, @new_prod]. The caller sends the
 * event (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY).
 */
bool xen_ring_push_requests(struct xen_sring_hdr *sring, uint32_t old, uint32_t new_prod);

/**
 * xen_ring_rsp_prod() - read the backend's rsp_prod once into @prod and
 * check it (STYLE U1): responses can only answer requests we pushed and
 * have not consumed, so @prod may be at most @pushed - everything from
 * @cons on. Orders the read before the caller's reads of the entries.
 * Returns 0, or -EIO for a producer that jumped (untrusted: the caller
 * marks the device broken).
 */
int __must_check xen_ring_rsp_prod(const struct xen_sring_hdr *sring, uint32_t cons,
				   uint32_t pushed, uint32_t *prod);

/**
 * xen_ring_rsp_final_check() - ask for an event at the next response after
 * @cons, then look once more: true if responses arrived meanwhile (they
 * would raise no event; RING_FINAL_CHECK_FOR_RESPONSES).
 */
bool xen_ring_rsp_final_check(struct xen_sring_hdr *sring, uint32_t cons);

#endif
