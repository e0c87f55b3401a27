/* md <addr> [count]: display memory as 32-bit words, U-Boot style. Only RAM
 * is shown: a typo must not fault the guest. */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

#define MD_DEFAULT_WORDS 0x40
#define MD_MAX_WORDS 0x100000
#define MD_WORDS_PER_LINE 4

static void md_line(uint64_t addr, const uint32_t *words, unsigned int n)
{
	char ascii[MD_WORDS_PER_LINE * 4 + 1];
	unsigned char bytes[MD_WORDS_PER_LINE * 4];

	memcpy(bytes, words, n * 4);
	for (unsigned int i = 0; i < n * 4; i++) {
		ascii[i] = (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? (char)bytes[i] : '.';
	}
	ascii[n * 4] = '\0';
	xb_printf("%08llx:", (unsigned long long)addr);
	for (unsigned int i = 0; i < n; i++) {
		xb_printf(" %08x", words[i]);
	}
	xb_printf("%*s    %s\n", (int)(MD_WORDS_PER_LINE - n) * 9, "", ascii);
}

static int do_md(int argc, char *argv[])
{
	uint64_t addr, count = MD_DEFAULT_WORDS;

	if (argc < 2 || argc > 3 || cmd_parse_num(argv[1], &addr) ||
	    (argc == 3 && cmd_parse_num(argv[2], &count))) {
		return CMD_RET_USAGE;
	}
	if (addr % 4 || count == 0 || count > MD_MAX_WORDS) {
		xb_printf("md: address must be 4-byte aligned, count 1..0x%x\n", MD_MAX_WORDS);
		return -EINVAL;
	}
	if (!dtinfo_is_ram(dtinfo_get(), addr, count * 4)) {
		xb_printf("md: 0x%llx..+0x%llx is not inside a RAM bank\n",
			  (unsigned long long)addr, (unsigned long long)(count * 4));
		return -EFAULT;
	}
	const uint32_t *p = arch_phys_to_virt(addr);
	for (uint64_t i = 0; i < count; i += MD_WORDS_PER_LINE) {
		unsigned int n =
		    count - i < MD_WORDS_PER_LINE ? (unsigned int)(count - i) : MD_WORDS_PER_LINE;
		md_line(addr + i * 4, p + i, n);
	}
	return 0;
}

const struct cmd cmd_md = {
    .name = "md",
    .usage = "<addr> [count]",
    .help = "display memory (32-bit words, hex)",
    .run = do_md,
};
