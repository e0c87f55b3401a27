# boot/: booting an OS (Image, gunzip, DTB fix-up, handoff, extlinux, scripts, env storage).
obj-y += env_default.c
obj-y += uimage.c
obj-y += gunzip.c
obj-y += env_format.c env_store.c esp.c
obj-y += image.c layout.c
obj-y += fdt.c
obj-y += handoff.c
obj-y += linux.c
obj-y += extlinux.c
obj-y += extlinux_boot.c
