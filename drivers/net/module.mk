# drivers/net/: the network device list and the PV network frontend.
obj-y += netdev.c
