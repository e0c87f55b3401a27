/* Running a parsed extlinux config, shared by sysboot (files from a disk)
 * and pxe boot (files by TFTP): the menu when the config asks for one
 * (`prompt 1`, or a timeout, with several labels: a number or a label
 * name, the default on timeout, any key stops the countdown), then the
 * chosen label, then `fallback` and every label not tried yet, as U-Boot
 * (but not after Ctrl-C during a load).
 * Each label is planned and loaded by boot/extlinux_boot.c and started
 * with booti through the command table; `localboot` runs $localcmd. */
#ifndef CMD_EXTLINUX_MENU_H
#define CMD_EXTLINUX_MENU_H

#include <boot/extlinux.h>
#include <boot/extlinux_boot.h>
#include <lib/compiler.h>
#include <stdbool.h>

struct extlinux_menu {
	const char *who; /* "sysboot", "pxe": prefixes every message */
	const struct extlinux_conf *conf;
	const struct extlinux_files *files;
	bool attempted[EXTLINUX_LABELS_MAX];
};

/**
 * extlinux_menu_boot() - show the menu or take the default, and boot.
 * Returns only when no label booted (or booti returned in the sandbox):
 * the last label's error, -ENOENT without labels, -EINTR (Ctrl-C at the
 * menu or during a load). Every failure was printed in one line.
 */
int __must_check extlinux_menu_boot(struct extlinux_menu *m);

/** extlinux_menu_print() - the parsed config, label by label (sysboot -p, pxe boot -p). */
void extlinux_menu_print(const struct extlinux_conf *c);

#endif
