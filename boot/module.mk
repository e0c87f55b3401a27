# boot/: booting an OS (Image, gunzip, DTB fix-up, handoff, extlinux, scripts, env storage).
obj-y += env_default.c
obj-y += uimage.c
obj-y += gunzip.c
obj-y += image.c layout.c
obj-y += fdt.c
obj-y += handoff_pending.c # TEMPORARY: removed when boot/handoff.c lands
obj-y += linux.c
