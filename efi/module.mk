# efi/: the UEFI layer (CONFIG_EFI): loader, boot and runtime services, protocols.
obj-y += pe.c
