# init/: the generic start of xenboot.
obj-y += main.c
