/* extlinux.conf as U-Boot's sysboot reads it (xen-abi.md §13): a pure
 * parser on a text buffer (untrusted: from the guest's disk) into a struct
 * that sysboot and the tests inspect, and the choice of a label.
 *
 * Grammar: one keyword per line, case-insensitive, the rest of the line its
 * value (blanks trimmed, CR ignored); a line whose first non-blank is '#' is
 * a comment; blank lines (u-boot-menu writes some holding one tab) and
 * unknown keywords are ignored. Top level: `default <label>`, `label
 * <name>`, `menu title <text>`, `timeout <tenths of a second>`, `prompt
 * <n>`, `ontimeout <label>`, `fallback <label>`, `include <path>` (also
 * `menu include`). After a `label`: `menu label <text>`, `menu default`,
 * `kernel`/`linux <path>`, `initrd <path>` (else the first `initrd=` word of
 * `append`), `append <args>`, `fdt`/`devicetree <path>`,
 * `fdtdir`/`devicetreedir <dir>`, `fdtoverlays <path>...`, `localboot <n>`,
 * `ipappend <n>`. Relative paths are taken from the directory of the
 * top-level config (U-Boot keeps one boot directory for all includes). */
#ifndef BOOT_EXTLINUX_H
#define BOOT_EXTLINUX_H

#include <lib/compiler.h>
#include <stdbool.h>
#include <stddef.h>

#define EXTLINUX_LABELS_MAX 32
#define EXTLINUX_NAME_MAX 64 /* label names */
#define EXTLINUX_TEXT_MAX 128 /* menu title and labels */
#define EXTLINUX_PATH_MAX 256 /* resolved paths */
#define EXTLINUX_LIST_MAX 768 /* resolved fdtoverlays, space-separated */
#define EXTLINUX_APPEND_MAX 1024 /* the kernel command line (ENV_VALUE_MAX) */
#define EXTLINUX_DEPTH_MAX 8 /* include nesting */
#define EXTLINUX_FILES_MAX 32 /* files read per parse, includes counted */
#define EXTLINUX_FILE_MAX (256u << 10) /* bytes of one config or include */
#define EXTLINUX_ERROR_MAX 160

struct extlinux_label {
	char name[EXTLINUX_NAME_MAX];
	char menu[EXTLINUX_TEXT_MAX]; /* `menu label`, "" if none */
	char kernel[EXTLINUX_PATH_MAX];
	char initrd[EXTLINUX_PATH_MAX];
	char fdt[EXTLINUX_PATH_MAX];
	char fdtdir[EXTLINUX_PATH_MAX];
	char fdtoverlays[EXTLINUX_LIST_MAX];
	char append[EXTLINUX_APPEND_MAX];
	bool has_append;
	bool has_initrd_line; /* an `initrd` line, not append's initrd= */
	bool is_localboot;
	long localboot; /* `localboot` value */
	unsigned int ipappend;
	/* Why this label cannot boot (a value too long, a bad number), or NULL. */
	const char *bad;
};

struct extlinux_conf {
	char title[EXTLINUX_TEXT_MAX];
	char default_label[EXTLINUX_NAME_MAX]; /* `default` or the last `menu default` */
	char ontimeout[EXTLINUX_NAME_MAX];
	char fallback[EXTLINUX_NAME_MAX];
	char dir[EXTLINUX_PATH_MAX]; /* of the top-level config, with a trailing '/' */
	unsigned long timeout; /* tenths of a second */
	bool has_prompt; /* prompt != 0 */
	struct extlinux_label labels[EXTLINUX_LABELS_MAX];
	unsigned int label_count;
	unsigned int labels_dropped; /* beyond EXTLINUX_LABELS_MAX */
	unsigned int files_read; /* the config and its includes */
	char error[EXTLINUX_ERROR_MAX]; /* why extlinux_parse() failed */
};

/**
 * struct extlinux_reader - how `include` gets a file: @read fills *@text and
 * *@len with the file at @path (absolute, normalised) or returns -errno;
 * @release gives back what @read returned (may be NULL).
 */
struct extlinux_reader {
	int (*read)(void *ctx, const char *path, const char **text, size_t *len);
	void (*release)(void *ctx, const char *text);
	void *ctx;
};

/**
 * extlinux_parse() - parse @len bytes of @text (stops at a NUL), the config
 * at @path (absolute), into @out. Includes come through @rd (NULL: an
 * `include` fails). Returns 0, or -ELOOP (include loop), -E2BIG (includes
 * nested deeper than EXTLINUX_DEPTH_MAX or more than EXTLINUX_FILES_MAX
 * files), -ENAMETOOLONG (an include path too long) or a read error;
 * out->error then says which file and line, and why, in one line. A bad value inside a label only
 * marks the label (->bad).
 */
int __must_check extlinux_parse(const char *text, size_t len, const char *path,
				const struct extlinux_reader *rd, struct extlinux_conf *out);

/**
 * extlinux_parse_at() - extlinux_parse() with relative paths taken from @dir
 * (absolute) instead of the config's directory: PXE names every file from
 * the TFTP boot directory, the config sitting in pxelinux.cfg/ below it.
 */
int __must_check extlinux_parse_at(const char *text, size_t len, const char *path, const char *dir,
				   const struct extlinux_reader *rd, struct extlinux_conf *out);

/**
 * extlinux_path() - @path as seen from directory @dir (ending in '/'):
 * absolute paths stay, relative ones are appended; "." and ".." components
 * are resolved, repeated slashes folded. Returns 0 or -ENAMETOOLONG.
 */
int __must_check extlinux_path(const char *dir, const char *path, char *out, size_t size);

/** extlinux_find() - the index of the label called @name (exact), or -1. */
int extlinux_find(const struct extlinux_conf *conf, const char *name);

/**
 * extlinux_default() - the index of the label to boot without a choice:
 * the default label, else the first one; -1 when there is no label.
 * extlinux_on_timeout() - the same, but `ontimeout` wins when it names a label.
 */
int extlinux_default(const struct extlinux_conf *conf);
int extlinux_on_timeout(const struct extlinux_conf *conf);

/**
 * extlinux_choice() - the label typed at the menu (untrusted): a number
 * 1..label_count as listed, else a label name; "" means the default.
 * Returns the index or -1.
 */
int extlinux_choice(const struct extlinux_conf *conf, const char *typed);

/** extlinux_has_menu() - show a menu? (`prompt 1` and several labels; the timeout bounds it) */
bool extlinux_has_menu(const struct extlinux_conf *conf);

#endif
