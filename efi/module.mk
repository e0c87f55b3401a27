obj-y += bs_misc.c bs_open.c load_option.c bs_protocol.c bs_unsupported.c fdt.c guids.c object.c status.c \
	string.c systab.c
obj-y += varstore.c varfile.c varfile_esp.c
obj-y += rt_variable.c rt_time.c rt_misc.c rt_vmap.c
