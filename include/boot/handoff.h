/* Leaving Xen as the OS expects to find it (xen-abi.md §12; issue 7 §2). */
#ifndef BOOT_HANDOFF_H
#define BOOT_HANDOFF_H

#include <lib/compiler.h>

/**
 * handoff_xen() - the last step before the jump to the OS, in this order:
 * every vbd back to Initialising with its backend at InitWait (grants ended
 * only once the backend is Closed; keys and event channel removed); every
 * event channel we allocated closed (never the console's or XenStore's, no
 * EVTCHNOP_reset, 2-level ABI kept); XenStore without watch, transaction,
 * request or unread reply; console input consumed and output pushed; then
 * shared_info and every grant frame removed from the physmap (a RAM GFN is
 * repopulated). Prints one summary line ("handoff: 2 vbds reset, ...").
 *
 * A failing step is reported in one line and the others still run: the
 * caller is committed to the jump. Pages a backend never released are
 * recorded as MEMMAP_LOST (include/lib/memmap.h) for the caller to keep
 * from the OS; new ones can appear during this call (a backend that never
 * closes), so add the DTB's /memreserve/ entries for MEMMAP_LOST regions
 * after it (fdt_add_mem_rsv() on the DTB already placed, with room left for
 * them). Afterwards no PV device, XenStore or event channel may be
 * used; console output still works, polled and bounded (a "Starting
 * kernel ..." line is best printed before this call, as U-Boot does).
 * Returns 0, or the first step's error.
 */
int handoff_xen(void);

#endif
