# Sources of sim (see the top Makefile): the simulated Xen, host only.
# Later backends (xenstored.c, blkback.c) add themselves here and register
# with sim_backend_add(); the core needs no change.
obj-y += core.c
obj-y += mem.c
obj-y += heap.c
obj-y += hypercall.c
obj-y += evtchn.c
obj-y += gnttab.c
obj-y += console.c
obj-y += dt.c
# The simulated xenstored and its scripted XenBus backend (xen/xs*.c's peer).
obj-y += xenstored.c xs_proto.c xs_tree.c xs_backend.c
# The simulated blkback over a host image (drivers/block's peer).
obj-y += blkback.c
# The simulated network (CONFIG_NET=y): netback in copy mode (drivers/net/netfront's
# peer), the hosts beyond it (netpeer) and a netdev wired straight to them.
obj-$(CONFIG_NET) += netback.c netpeer.c netpeer_host.c netwire.c netpeer_tcp.c netpeer_http.c
# Services on the simulated network (netapps): DHCP, TFTP, DNS servers.
obj-$(CONFIG_NET) += netpeer_dhcp.c netpeer_tftp.c netpeer_dns.c
