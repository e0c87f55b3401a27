# drivers/console/: the PV console frontend.
obj-y += pvcons.c
