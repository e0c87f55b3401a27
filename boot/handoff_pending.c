/* TEMPORARY: stands in for boot/handoff.c (handoff helper, branch `handoff`)
 * until that lands; the merge deletes this file and its module.mk line.
 * It does nothing, so boot_linux() can be built and tested meanwhile. */
#include <boot/handoff.h>

int handoff_xen(void)
{
	return 0;
}
