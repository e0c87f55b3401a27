/* The extlinux menu and label loop (include/cmd/extlinux_menu.h). */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <cmd/extlinux_menu.h>
#include <cmd/shell.h>
#include <lib/console.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

#define KEY_CTRL_C 0x03
#define NS_PER_TENTH 100000000ULL

static const char *label_text(const struct extlinux_label *l)
{
	return l->menu[0] ? l->menu : l->name;
}

/* One line typed at the menu; the first key waits until @deadline only. */
static int read_choice(char *buf, size_t size, uint64_t deadline)
{
	size_t n = 0;
	int c = console_getc(deadline);

	if (c < 0) {
		return -ETIMEDOUT;
	}
	for (;; c = console_getc(UINT64_MAX)) {
		if (c < 0) {
			return -EIO; /* no console any more */
		}
		if (c == '\r' || c == '\n') {
			console_write("\n", 1);
			buf[n] = '\0';
			return 0;
		}
		if (c == KEY_CTRL_C) {
			console_write("^C\n", 3);
			return -EINTR;
		}
		if ((c == 0x08 || c == 0x7f) && n) {
			n--;
			console_write("\b \b", 3);
		} else if (c >= 0x20 && c < 0x7f && n + 1 < size) {
			buf[n++] = (char)c;
			console_write(buf + n - 1, 1);
		}
	}
}

/* The menu: the label to boot, or -EINTR (Ctrl-C) / -EIO. */
static int menu(const char *who, const struct extlinux_conf *c)
{
	uint64_t deadline = c->timeout ? arch_time_ns() + c->timeout * NS_PER_TENTH : UINT64_MAX;
	char typed[EXTLINUX_NAME_MAX];

	if (c->title[0]) {
		xb_printf("%pE\n", c->title);
	}
	for (unsigned int i = 0; i < c->label_count; i++) {
		xb_printf("%u:\t%pE\n", i + 1, label_text(&c->labels[i]));
	}
	for (;;) {
		if (deadline != UINT64_MAX) {
			xb_printf(
			    "Enter choice (1-%u or a label; %d in %lu.%lu s): ", c->label_count,
			    extlinux_on_timeout(c) + 1, c->timeout / 10, c->timeout % 10);
		} else {
			xb_printf("Enter choice (1-%u or a label; Enter: %d): ", c->label_count,
				  extlinux_default(c) + 1);
		}
		int rc = read_choice(typed, sizeof(typed), deadline);
		if (rc == -ETIMEDOUT) {
			xb_printf("\n");
			return extlinux_on_timeout(c);
		}
		if (rc) {
			return rc;
		}
		deadline = UINT64_MAX; /* a key stopped the countdown */
		int i = extlinux_choice(c, typed);
		if (i >= 0) {
			return i;
		}
		xb_printf("%s: no label '%pE'\n", who, typed);
	}
}

static int localboot(const char *who, const struct extlinux_label *l)
{
	if (!env_get("localcmd")) {
		xb_printf("%s: label %pE: localboot, but $localcmd is not set\n", who, l->name);
		return -ENOENT;
	}
	return shell_run_var("localcmd");
}

/* Boot label @i; returns only when it failed (or booti returned 0 in the sandbox). */
static int boot_label(struct extlinux_menu *m, int i)
{
	const struct extlinux_label *l = &m->conf->labels[i];
	struct extlinux_plan plan;
	struct extlinux_loaded ld;
	const struct cmd *booti;
	int rc;

	m->attempted[i] = true;
	xb_printf("%d:\t%pE\n", i + 1, label_text(l));
	rc = extlinux_plan(m->who, l, &plan);
	if (rc == -ENOENT) {
		return localboot(m->who, l);
	}
	if (!rc) {
		rc = extlinux_load(m->who, m->files, &plan, &ld);
	}
	if (rc) {
		return rc;
	}
	booti = cmd_find("booti");
	if (!booti) {
		xb_printf("%s: booti: unknown command\n", m->who);
		return -ENOENT;
	}
	rc = booti->run(ld.argc, ld.argv);
	return rc == CMD_RET_USAGE ? -EINVAL : rc;
}

/* Worth trying another label after @rc? Not after Ctrl-C (a TFTP load's
 * -EINTR): the user asked to stop, not for the next label. */
static bool is_retry(int rc)
{
	return rc && rc != -EINTR;
}

/* The chosen label, then `fallback`, then every label not tried, as U-Boot. */
static int boot_labels(struct extlinux_menu *m, int first)
{
	const struct extlinux_conf *c = m->conf;
	int fallback = c->fallback[0] ? extlinux_find(c, c->fallback) : -1;
	int rc = boot_label(m, first);

	if (is_retry(rc) && fallback >= 0 && !m->attempted[fallback]) {
		rc = boot_label(m, fallback);
	}
	for (unsigned int i = 0; is_retry(rc) && i < c->label_count; i++) {
		if (!m->attempted[i]) {
			rc = boot_label(m, (int)i);
		}
	}
	return rc;
}

int extlinux_menu_boot(struct extlinux_menu *m)
{
	const struct extlinux_conf *c = m->conf;

	if (c->labels_dropped) {
		xb_printf("%s: %u labels beyond the first %u ignored\n", m->who, c->labels_dropped,
			  EXTLINUX_LABELS_MAX);
	}
	if (!c->label_count) {
		xb_printf("%s: no label to boot\n", m->who);
		return -ENOENT;
	}
	memset(m->attempted, 0, sizeof(m->attempted));
	int first = extlinux_has_menu(c) ? menu(m->who, c) : extlinux_default(c);
	return first < 0 ? first : boot_labels(m, first);
}

void extlinux_menu_print(const struct extlinux_conf *c)
{
	xb_printf("title '%pE', default '%pE', timeout %lu, prompt %d\n", c->title,
		  c->default_label, c->timeout, c->has_prompt);
	for (unsigned int i = 0; i < c->label_count; i++) {
		const struct extlinux_label *l = &c->labels[i];

		xb_printf("%u:\t%pE\n\tkernel %pE\n\tinitrd %pE\n\tfdt %pE%s%pE\n\tappend %pE\n",
			  i + 1, label_text(l), l->kernel, l->initrd, l->fdt,
			  l->fdtdir[0] ? " fdtdir " : "", l->fdtdir, l->append);
	}
}
