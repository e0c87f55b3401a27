# efi/: the UEFI layer (variables, runtime services, ...).
obj-y += varstore.c
obj-y += varfile.c varfile_esp.c
