/* crc32 <addr> <len>: the CRC-32 (as zlib, gzip and the `crc32` tool compute it) of
 * guest memory, so a lab script can compare what xenboot read with a CRC
 * computed on the host. Output: "crc32 0x<addr> +0x<len> ==> <8 hex digits>". */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/crc32.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/printf.h>

static int do_crc32(int argc, char *argv[])
{
	uint64_t addr, len;

	if (argc != 3 || cmd_parse_num(argv[1], &addr) || cmd_parse_num(argv[2], &len)) {
		return CMD_RET_USAGE;
	}
	if (len == 0 || !dtinfo_is_ram(dtinfo_get(), addr, len)) {
		xb_printf("crc32: 0x%llx..+0x%llx is not inside a RAM bank\n",
			  (unsigned long long)addr, (unsigned long long)len);
		return -EFAULT;
	}
	const unsigned char *p = arch_phys_to_virt(addr);
	uint32_t crc = crc32_update(0, p, len);

	xb_printf("crc32 0x%llx +0x%llx ==> %08x\n", (unsigned long long)addr,
		  (unsigned long long)len, crc);
	return 0;
}

const struct cmd cmd_crc32 = {
    .name = "crc32",
    .usage = "<addr> <len>",
    .help = "CRC-32 of memory (hex arguments)",
    .run = do_crc32,
};
