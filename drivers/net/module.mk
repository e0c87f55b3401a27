# drivers/net/: the network device list and the PV network frontend.
obj-y += netdev.c
# netfront: handshake and teardown, data path, response consumers.
obj-y += netfront.c netfront_io.c netfront_rsp.c
