/* The command table: every command file's struct cmd, listed once here so
 * the host build (a static library) links them all without linker tricks. */
#include <cmd/cmd.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <string.h>

/* clang-format off */
extern const struct cmd cmd_boot;
extern const struct cmd cmd_booti;
#ifdef CONFIG_EFI
extern const struct cmd cmd_bootefi;
#endif
extern const struct cmd cmd_crc32;
#ifdef CONFIG_NET
extern const struct cmd cmd_dhcp;
#endif
extern const struct cmd cmd_distroboot;
#ifdef CONFIG_NET
extern const struct cmd cmd_dns;
#endif
extern const struct cmd cmd_dt;
extern const struct cmd cmd_echo;
extern const struct cmd cmd_env;
extern const struct cmd cmd_exception;
extern const struct cmd cmd_exit;
extern const struct cmd cmd_ext4load;
extern const struct cmd cmd_ext4ls;
extern const struct cmd cmd_fatload;
extern const struct cmd cmd_fatls;
extern const struct cmd cmd_fatwrite;
extern const struct cmd cmd_false;
extern const struct cmd cmd_fstype;
extern const struct cmd cmd_help;
extern const struct cmd cmd_load;
extern const struct cmd cmd_ls;
extern const struct cmd cmd_md;
extern const struct cmd cmd_meminfo;
extern const struct cmd cmd_mw;
#ifdef CONFIG_NET
extern const struct cmd cmd_net;
#endif
extern const struct cmd cmd_part;
#ifdef CONFIG_NET
extern const struct cmd cmd_ping;
#endif
extern const struct cmd cmd_poweroff;
extern const struct cmd cmd_printenv;
#ifdef CONFIG_NET
extern const struct cmd cmd_pxe;
#endif
extern const struct cmd cmd_pvblock;
extern const struct cmd cmd_reset;
extern const struct cmd cmd_run;
extern const struct cmd cmd_save;
extern const struct cmd cmd_saveenv;
extern const struct cmd cmd_setenv;
extern const struct cmd cmd_size;
extern const struct cmd cmd_source;
extern const struct cmd cmd_sysboot;
extern const struct cmd cmd_test;
#ifdef CONFIG_NET
extern const struct cmd cmd_tftp;
extern const struct cmd cmd_tftpboot;
#endif
extern const struct cmd cmd_true;
extern const struct cmd cmd_version;
#ifdef CONFIG_NET
extern const struct cmd cmd_wget;
#endif
extern const struct cmd cmd_xs;

static const struct cmd *const commands[] = {
	&cmd_boot,
	&cmd_booti,
#ifdef CONFIG_EFI
	&cmd_bootefi,
#endif
	&cmd_crc32,
#ifdef CONFIG_NET
	&cmd_dhcp,
#endif
	&cmd_distroboot,
#ifdef CONFIG_NET
	&cmd_dns,
#endif
	&cmd_dt,
	&cmd_echo,
	&cmd_env,
	&cmd_exception,
	&cmd_exit,
	&cmd_ext4load,
	&cmd_ext4ls,
	&cmd_fatload,
	&cmd_fatls,
	&cmd_fatwrite,
	&cmd_false,
	&cmd_fstype,
	&cmd_help,
	&cmd_load,
	&cmd_ls,
	&cmd_md,
	&cmd_meminfo,
	&cmd_mw,
#ifdef CONFIG_NET
	&cmd_net,
#endif
	&cmd_part,
#ifdef CONFIG_NET
	&cmd_ping,
#endif
	&cmd_poweroff,
	&cmd_printenv,
#ifdef CONFIG_NET
	&cmd_pxe,
#endif
	&cmd_pvblock,
	&cmd_reset,
	&cmd_run,
	&cmd_save,
	&cmd_saveenv,
	&cmd_setenv,
	&cmd_size,
	&cmd_source,
	&cmd_sysboot,
	&cmd_test,
#ifdef CONFIG_NET
	&cmd_tftp,
	&cmd_tftpboot,
#endif
	&cmd_true,
	&cmd_version,
#ifdef CONFIG_NET
	&cmd_wget,
#endif
	&cmd_xs,
};
/* clang-format on */

const struct cmd *cmd_find(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : 0;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct cmd *c = commands[i];
		if (strcmp(c->name, name) == 0) {
			return c;
		}
		if (c->has_size_suffix && stem && strlen(c->name) == stem &&
		    !strncmp(c->name, name, stem)) {
			return c;
		}
	}
	return NULL;
}

const struct cmd *const *cmd_table(unsigned int *count)
{
	*count = ARRAY_SIZE(commands);
	return commands;
}

int cmd_parse_num(const char *s, uint64_t *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	return parse_u64(s, 16, out);
}
