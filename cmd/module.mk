# cmd/: the shell and one file per command (listed in commands.c).
obj-y += commands.c shell.c shell_exec.c shell_expand.c shell_lex.c shell_parse.c
obj-y += exit.c source.c test.c
obj-y += dt.c echo.c help.c md.c meminfo.c poweroff.c printenv.c reset.c run.c setenv.c version.c
obj-y += crc32.c mw.c pvblock.c
obj-y += xs.c
obj-y += fstype.c load.c ls.c part.c save.c size.c
obj-y += env.c
obj-y += boot.c booti.c
obj-y += sysboot.c
obj-y += distroboot.c
