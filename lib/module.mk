# lib/: depends on nothing of ours (STYLE L1).
obj-y += console.c crc32.c crc32c.c errno.c parse.c printf.c dtinfo.c env.c memmap.c
