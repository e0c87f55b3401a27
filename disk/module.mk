# Sources of disk (see the top Makefile): the block layer and partition tables.
obj-y += blk.o ramdisk.o disk.o
obj-y += part/part.o part/mbr.o part/gpt.o
