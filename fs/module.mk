# Sources of fs (see the top Makefile): the file API and its filesystems.
obj-y += fs.o fsload.o
obj-y += ext4/super.o ext4/map.o ext4/file.o ext4/dir.o
obj-y += fat/bpb.o fat/alloc.o fat/dir.o fat/file.o fat/write.o fat/inplace.o
