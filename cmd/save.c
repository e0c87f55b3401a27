/* save <interface> <dev[:part]> <addr> <path> <bytes> [pos]: write memory to
 * a file, as U-Boot's `save` and `fatwrite` (its alias). FAT only: ext4 is
 * mounted read-only. The file is created or replaced whole; pos must be 0
 * (FAT writes here never patch the middle of a file). Prints
 * "N bytes written in M ms (X MiB/s)". */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <lib/errno.h>
#include <lib/printf.h>

static int do_save(int argc, char *argv[])
{
	uint64_t addr, bytes, pos = 0, t0;
	struct fs *fs;
	int rc;

	if (argc < 6 || argc > 7 || cmd_parse_num(argv[3], &addr) ||
	    cmd_parse_num(argv[5], &bytes) || (argc == 7 && cmd_parse_num(argv[6], &pos))) {
		return CMD_RET_USAGE;
	}
	if (pos) {
		xb_printf("%s: writing at an offset is not supported; pos must be 0\n", argv[0]);
		return -EOPNOTSUPP;
	}
	if (bytes > UINT32_MAX) {
		xb_printf("%s: 0x%llx bytes is more than a FAT file can hold\n", argv[0],
			  (unsigned long long)bytes);
		return -EFBIG;
	}
	rc = fsload_check_ram(argv[0], addr, bytes);
	if (rc) {
		return rc;
	}
	rc = fsload_mount(argv[0], argv[1], argv[2], &fs);
	if (rc) {
		return rc;
	}
	t0 = arch_time_ns();
	rc = fs_write(fs, argv[4], bytes ? arch_phys_to_virt(addr) : "", (size_t)bytes);
	if (rc) {
		return fsload_error(argv[0], argv[4], rc);
	}
	xb_printf("%llu bytes written", (unsigned long long)bytes);
	fsload_print_rate(bytes, arch_time_ns() - t0);
	return 0;
}

#define SAVE_USAGE "<interface> <dev[:part]> <addr> <path> <bytes> [pos]"

const struct cmd cmd_save = {
    .name = "save",
    .usage = SAVE_USAGE,
    .help = "write memory to a file (FAT only; hex numbers)",
    .run = do_save,
};

const struct cmd cmd_fatwrite = {
    .name = "fatwrite",
    .usage = SAVE_USAGE,
    .help = "write memory to a file on a FAT filesystem",
    .run = do_save,
};
