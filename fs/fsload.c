/* Mounting "<iface> <dev>[:<part>]" and loading files into guest RAM
 * (include/fs/fsload.h).
 *
 * Speed: a file is read in LOAD_CHUNK pieces straight into the destination,
 * and the filesystems turn each piece's contiguous runs into single block
 * requests, so a chunk is a few large PV requests, not many small ones. The
 * chunks exist only so a long load can show progress once a second. */
#include <arch/arch.h>
#include <disk/disk.h>
#include <fs/fsload.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <lib/printf.h>
#include <lib/units.h>

#define LOAD_CHUNK (32u << 20)
#define NS_PER_S 1000000000ULL

/* The filesystem the loaders share: about 9 KiB, so not on the stack. */
static struct fs shared_fs;

int fsload_mount(const char *who, const char *iface, const char *spec, struct fs **out)
{
	struct blk_part part;
	int rc = disk_part(who, iface, spec, &part);

	if (rc) {
		return rc;
	}
	rc = fs_mount(&shared_fs, &part);
	if (rc == -ENODEV && who) {
		xb_printf("%s: %s %pE: no ext2/3/4 or FAT filesystem\n", who, iface, spec);
	} else if (rc && who) {
		xb_printf("%s: %s %pE: filesystem unusable: %s\n", who, iface, spec,
			  errno_name(rc));
	}
	*out = &shared_fs;
	return rc;
}

int fsload_check_ram(const char *who, uint64_t addr, uint64_t len)
{
	if (len && !dtinfo_is_ram(dtinfo_get(), addr, len)) {
		if (who) {
			xb_printf("%s: 0x%llx..+0x%llx is not inside a RAM bank\n", who,
				  (unsigned long long)addr, (unsigned long long)len);
		}
		return -EFAULT;
	}
	return 0;
}

int fsload_check(const char *who, uint64_t addr, uint64_t len)
{
	struct memmap_region hit;
	int rc = memmap_check(addr, len, &hit);

	if (rc == -EFAULT) {
		return fsload_check_ram(who, addr, len);
	}
	if (rc && who) {
		xb_printf("%s: 0x%llx..+0x%llx overlaps %s (0x%llx-0x%llx)\n", who,
			  (unsigned long long)addr, (unsigned long long)len,
			  memmap_kind_name(hit.kind), (unsigned long long)hit.base,
			  (unsigned long long)(hit.base + hit.size));
	}
	return rc ? -EFAULT : 0;
}

int fsload_error(const char *who, const char *path, int rc)
{
	const char *why = rc == -ENOENT	   ? "no such file or directory"
			  : rc == -EISDIR  ? "is a directory"
			  : rc == -ENOTDIR ? "not a directory"
			  : rc == -EROFS   ? "filesystem is read-only (only FAT can be written)"
					   : errno_name(rc);

	if (who) {
		xb_printf("%s: %pE: %s\n", who, path, why);
	}
	return rc;
}

void fsload_print_rate(uint64_t bytes, uint64_t ns)
{
	uint64_t ms = ns / 1000000;

	xb_printf(" in %llu ms", (unsigned long long)ms);
	if (ns >= 1000) {
		/* From microseconds, so loads under a millisecond still get a rate. */
		uint64_t per_s = bytes * 1000000 / (ns / 1000);
		uint64_t tenths = per_s * 10 / MIB;

		if (per_s < MIB) {
			xb_printf(" (%llu KiB/s)", (unsigned long long)(per_s / 1024));
		} else {
			xb_printf(" (%llu.%llu MiB/s)", (unsigned long long)(tenths / 10),
				  (unsigned long long)(tenths % 10));
		}
	}
	xb_printf("\n");
}

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
		if (req->who && now >= next_report && *done < req->len) {
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

int fsload_file(const char *who, struct fs *fs, const char *path, uint64_t addr, uint64_t max,
		uint64_t pos, uint64_t *loaded)
{
	struct load_req req = {.who = who, .fs = fs, .path = path, .addr = addr, .pos = pos};
	uint64_t size, t0;
	int rc = fs_size(fs, path, &size);

	*loaded = 0;
	if (rc) {
		return fsload_error(who, path, rc);
	}
	if (pos > size) {
		if (who) {
			xb_printf("%s: position 0x%llx is beyond the end of %pE (0x%llx bytes)\n",
				  who, (unsigned long long)pos, path, (unsigned long long)size);
		}
		return -EINVAL;
	}
	req.len = max && max < size - pos ? max : size - pos;
	rc = fsload_check(who, addr, req.len);
	if (rc) {
		return rc;
	}
	t0 = arch_time_ns();
	rc = load_chunks(&req, t0, loaded);
	if (rc) {
		if (who) {
			xb_printf("%s: %pE: read failed after %llu bytes: %s\n", who, path,
				  (unsigned long long)*loaded, errno_name(rc));
		}
		return rc;
	}
	if (who) {
		xb_printf("%llu bytes read", (unsigned long long)*loaded);
		fsload_print_rate(*loaded, arch_time_ns() - t0);
	}
	return 0;
}
