# lib/: depends on nothing of ours (STYLE L1).
obj-y += console.c errno.c parse.c printf.c dtinfo.c
