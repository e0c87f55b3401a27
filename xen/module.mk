# xen/: Xen interfaces on top of arch_hypercall().
obj-y += abi_check.c evtchn.c hypercall.c shinfo.c
obj-y += gnttab.c ring.c xs_ring.c xs.c xs_ops.c xenbus.c
