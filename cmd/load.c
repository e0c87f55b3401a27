/* load <interface> <dev[:part]> [addr [path [bytes [pos]]]]: read a file into
 * memory, as U-Boot's `load` (ext4load and fatload are the same, limited to
 * one filesystem). Numbers are hex; addr defaults to $loadaddr and path to
 * $bootfile; bytes 0 or absent means to the end of the file. Sets filesize
 * and prints "N bytes read in M ms (X MiB/s)".
 *
 * Speed: the file is read in LOAD_CHUNK pieces straight into the destination,
 * and the filesystems turn each piece's contiguous runs into single block
 * requests, so a chunk is a few large PV requests, not many small ones. The
 * chunks exist only so a long load can show progress once a second. */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <lib/env.h>
#include <cmd/fsarg.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

#define LOAD_CHUNK (32u << 20)
#define MIB (1024ULL * 1024)
#define NS_PER_S 1000000000ULL

struct load_req {
	const char *who;
	struct fs *fs;
	const char *path;
	uint64_t addr, len, pos;
};

/* Read req->len bytes, a chunk at a time; progress from the first second on. */
static int load_chunks(const struct load_req *req, uint64_t t0, uint64_t *done)
{
	uint8_t *dst = arch_phys_to_virt(req->addr);
	uint64_t next_report = t0 + NS_PER_S;
	bool has_progress = false;
	int rc = 0;

	for (*done = 0; *done < req->len;) {
		size_t n = (size_t)MIN(req->len - *done, (uint64_t)LOAD_CHUNK), got;

		rc = fs_read(req->fs, req->path, dst + *done, req->pos + *done, n, &got);
		if (rc == 0 && got != n) {
			rc = -EIO; /* fs_size() promised these bytes */
		}
		if (rc) {
			break;
		}
		*done += n;
		uint64_t now = arch_time_ns();
		if (now >= next_report && *done < req->len) {
			xb_printf("\r%s: %llu of %llu MiB", req->who,
				  (unsigned long long)(*done / MIB),
				  (unsigned long long)(req->len / MIB));
			has_progress = true;
			next_report = now + NS_PER_S;
		}
	}
	if (has_progress) {
		xb_printf("\r%40s\r", ""); /* the result line replaces the progress line */
	}
	return rc;
}

/* The address and path, from the arguments or U-Boot's default variables. */
static int load_args(int argc, char *argv[], struct load_req *req, uint64_t *bytes)
{
	const char *addr = argc > 3 ? argv[3] : env_get("loadaddr");

	req->path = argc > 4 ? argv[4] : env_get("bootfile");
	*bytes = 0;
	req->pos = 0;
	if (argc < 3 || argc > 7 || !addr || !req->path || cmd_parse_num(addr, &req->addr) ||
	    (argc > 5 && cmd_parse_num(argv[5], bytes)) ||
	    (argc > 6 && cmd_parse_num(argv[6], &req->pos))) {
		return CMD_RET_USAGE;
	}
	return 0;
}

static int do_load_kind(int argc, char *argv[], enum fs_kind kind)
{
	struct load_req req = {.who = argv[0]};
	uint64_t bytes, size, t0;
	int rc = load_args(argc, argv, &req, &bytes);

	if (rc) {
		return rc;
	}
	rc = fsarg_mount(req.who, argv[1], argv[2], &req.fs);
	if (rc) {
		return rc;
	}
	if (kind != FS_KIND_NONE && req.fs->kind != kind) {
		xb_printf("%s: %s %pE holds %s\n", req.who, argv[1], argv[2], fs_type(req.fs));
		return -EINVAL;
	}
	rc = fs_size(req.fs, req.path, &size);
	if (rc) {
		return fsarg_fs_error(req.who, req.path, rc);
	}
	if (req.pos > size) {
		xb_printf("%s: position 0x%llx is beyond the end of %pE (0x%llx bytes)\n", req.who,
			  (unsigned long long)req.pos, req.path, (unsigned long long)size);
		return -EINVAL;
	}
	req.len = bytes && bytes < size - req.pos ? bytes : size - req.pos;
	rc = fsarg_check_load(req.who, req.addr, req.len);
	if (rc) {
		return rc;
	}
	t0 = arch_time_ns();
	uint64_t done;
	rc = load_chunks(&req, t0, &done);
	if (rc) {
		xb_printf("%s: %pE: read failed after %llu bytes: %s\n", req.who, req.path,
			  (unsigned long long)done, errno_name(rc));
		return rc;
	}
	xb_printf("%llu bytes read", (unsigned long long)done);
	fsarg_print_rate(done, arch_time_ns() - t0);
	return env_set_u64("filesize", done);
}

static int do_load(int argc, char *argv[])
{
	return do_load_kind(argc, argv, FS_KIND_NONE);
}

static int do_ext4load(int argc, char *argv[])
{
	return do_load_kind(argc, argv, FS_KIND_EXT4);
}

static int do_fatload(int argc, char *argv[])
{
	return do_load_kind(argc, argv, FS_KIND_FAT);
}

#define LOAD_USAGE "<interface> <dev[:part]> [addr [path [bytes [pos]]]]"

const struct cmd cmd_load = {
    .name = "load",
    .usage = LOAD_USAGE,
    .help = "read a file into memory (ext2/3/4 or FAT; hex numbers)",
    .run = do_load,
};

const struct cmd cmd_ext4load = {
    .name = "ext4load",
    .usage = LOAD_USAGE,
    .help = "load from an ext2/3/4 filesystem",
    .run = do_ext4load,
};

const struct cmd cmd_fatload = {
    .name = "fatload",
    .usage = LOAD_USAGE,
    .help = "load from a FAT filesystem",
    .run = do_fatload,
};
