# Sources of arch/arm64 (see the top Makefile).
obj-y += boot.S context.S entry.S hypercall.S vectors.S
obj-y += exceptions.c gic.c heap.c mmu.c setup.c timer.c
obj-y += random.c
