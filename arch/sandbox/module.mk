# Sources of arch/sandbox (see the top Makefile). main.c is the program's
# entry and stays out of libxenboot.a, so tests bring their own main().
obj-y += arch.c context.c
obj-y += main.c
obj-y += os/host.c
obj-y += random.c
