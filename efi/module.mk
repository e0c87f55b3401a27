# efi/: the UEFI layer (variables, runtime services, ...).
obj-y += varstore.c
