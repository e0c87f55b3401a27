obj-y += bs_memory.c bs_misc.c bs_open.c exit_boot.c load_option.c bs_protocol.c fdt.c guids.c object.c status.c \
	string.c systab.c
obj-y += block_io.c devpath.c disk_io.c disks.c file.c file_dir.c initrd.c simple_fs.c
obj-y += bs_event.c bs_time.c
obj-y += con_in.c con_keys.c con_out.c drbg.c rng.c
obj-y += pe.c bs_image.c boot_path.c bootmgr.c image_file.c
obj-y += varstore.c varfile.c varfile_esp.c
obj-y += rt_variable.c rt_time.c rt_misc.c rt_vmap.c
