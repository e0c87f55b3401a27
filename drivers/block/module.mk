# drivers/block/: the PV block frontend (split: handshake, requests, shared memory, responses).
obj-y += blkfront.c blkfront_io.c blkfront_mem.c blkfront_rsp.c
