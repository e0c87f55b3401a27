obj-y += bs_misc.c bs_unsupported.c block_io.c devpath.c disk_io.c disks.c fdt.c file.c file_dir.c guids.c initrd.c object.c simple_fs.c status.c string.c systab.c
