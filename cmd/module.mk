# cmd/: the shell and one file per command (listed in commands.c).
obj-y += commands.c shell.c shell_exec.c shell_expand.c shell_lex.c shell_parse.c
obj-y += exception.c exit.c source.c test.c
obj-y += dt.c echo.c help.c md.c meminfo.c poweroff.c printenv.c reset.c run.c setenv.c version.c
obj-y += crc32.c mw.c pvblock.c
obj-y += xs.c
obj-y += fstype.c load.c ls.c part.c save.c size.c
obj-y += env.c
obj-y += boot.c booti.c
obj-y += sysboot.c extlinux_menu.c
obj-y += distroboot.c
# Network commands (CONFIG_NET=y).
obj-$(CONFIG_NET) += net.c ping.c wget.c
obj-$(CONFIG_NET) += dhcp.c dns.c netload.c pxe.c tftpboot.c
# UEFI commands (CONFIG_EFI=y).
obj-$(CONFIG_EFI) += bootefi.c printenv_efi.c
