# drivers/block/: the PV block frontend (split: handshake, requests, responses).
obj-y += blkfront.c blkfront_io.c blkfront_rsp.c
