obj-y += bs_misc.c bs_open.c load_option.c bs_protocol.c bs_unsupported.c fdt.c guids.c object.c status.c \
	string.c systab.c
