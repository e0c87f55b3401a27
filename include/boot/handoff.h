/* Leaving Xen's services as the next OS expects to find them (xen-abi.md §12).
 * TEMPORARY copy by the boot helper, with the signature agreed in BRIEF.md:
 * the handoff helper's branch owns this header and replaces it on merge. */
#ifndef BOOT_HANDOFF_H
#define BOOT_HANDOFF_H

#include <lib/compiler.h>

/**
 * handoff_xen() - tear down every PV device, event channel, XenStore and
 * grant-table state xenboot set up. Called by boot_linux() as the last step
 * before the jump; afterwards nothing may use a PV device, XenStore or an
 * event channel. Pages a backend never released are recorded with
 * memmap_add(..., MEMMAP_LOST). Returns 0 or -errno.
 */
int __must_check handoff_xen(void);

#endif
