/* pvblock: the PV disks, with U-Boot's spelling so existing scripts work.
 *   pvblock list | dev [n|name] | read <addr> <blk> <cnt> | write <addr> <blk> <cnt>
 *   pvblock flush | stats | segs <n> | persistent 0|1 | scan | shutdown
 * (segs and persistent are tuning knobs; persistent applies at the next scan)
 * Numbers are hex; <blk>/<cnt> count the current device's logical blocks
 * (its sector-size). Results read "N blocks read: OK" / "... ERROR". */
#include <arch/arch.h>
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <disk/disk.h>
#include <drivers/blkfront.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

static unsigned int pv_current;

static void pv_show(unsigned int index, const struct blkfront_dev *dev)
{
	struct blkfront_info in;

	blkfront_get_info(dev, &in);
	xb_printf("%c%u: %s (%s, vdev %u) %llu MiB, %llu sectors of 512 B, sector-size %u, %s%s\n",
		  index == pv_current ? '*' : ' ', index, in.name, in.nodename, in.vdev,
		  (unsigned long long)(in.sectors >> 11), (unsigned long long)in.sectors,
		  in.sector_size, in.is_read_only ? "ro" : "rw", in.is_broken ? " BROKEN" : "");
	xb_printf("    backend: max-ring-page-order %u, feature-max-indirect-segments %u\n",
		  in.backend_ring_order, in.max_indirect_segs);
	xb_printf("    ring %u page(s) %u entries, indirect %u (using %u segs/request), "
		  "persistent %s, flush %s, barrier %s, %u in flight max\n",
		  in.ring_pages, in.ring_entries, in.max_indirect_segs, in.segs_per_request,
		  in.has_persistent ? "yes" : "no", in.has_flush ? "yes" : "no",
		  in.has_barrier ? "yes" : "no", in.max_in_flight);
}

static int pv_list(void)
{
	unsigned int n = blkfront_count();

	if (n == 0) {
		xb_printf("no PV disks\n");
		return 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		pv_show(i, blkfront_get(i));
	}
	return 0;
}

static int pv_dev(int argc, char *argv[])
{
	uint64_t n;

	if (argc == 3) {
		struct blkfront_dev *byname = blkfront_find(argv[2]);
		if (byname) {
			for (n = 0; blkfront_get((unsigned int)n) != byname; n++) {
			}
		} else if (cmd_parse_num(argv[2], &n) || n >= blkfront_count()) {
			xb_printf("pvblock: no device %s\n", argv[2]);
			return -ENODEV;
		}
		pv_current = (unsigned int)n;
	}
	struct blkfront_dev *dev = blkfront_get(pv_current);
	if (!dev) {
		xb_printf("no PV disks\n");
		return -ENODEV;
	}
	pv_show(pv_current, dev);
	return 0;
}

/* The driver's count of bytes moved (answered OKAY) in one direction. */
static uint64_t pv_moved(bool is_write)
{
	struct blkfront_stats s;

	blkfront_stats_get(&s);
	return is_write ? s.written_bytes : s.read_bytes;
}

/* Elapsed time and rate, for the bench: the bytes are the driver's count of
 * what the backend answered for, not what was asked. */
static void pv_rate(uint64_t bytes, uint64_t asked, uint64_t ns)
{
	uint64_t us = ns / 1000 ? ns / 1000 : 1;

	xb_printf("%llu bytes in %llu us = %llu KiB/s\n", (unsigned long long)bytes,
		  (unsigned long long)us, (unsigned long long)(bytes * 1000000 / 1024 / us));
	if (bytes != asked) {
		xb_printf("pvblock: the driver moved %llu bytes of %llu asked\n",
			  (unsigned long long)bytes, (unsigned long long)asked);
	}
}

static int pv_rw(int argc, char *argv[], bool is_write)
{
	uint64_t addr, blk, cnt, bytes;
	struct blkfront_dev *dev = blkfront_get(pv_current);
	struct blkfront_info in;
	int rc;

	if (argc != 5 || cmd_parse_num(argv[2], &addr) || cmd_parse_num(argv[3], &blk) ||
	    cmd_parse_num(argv[4], &cnt)) {
		return CMD_RET_USAGE;
	}
	if (!dev) {
		xb_printf("no PV disks\n");
		return -ENODEV;
	}
	blkfront_get_info(dev, &in);
	uint64_t per = in.sector_size / 512;
	if (__builtin_mul_overflow(cnt, (uint64_t)in.sector_size, &bytes)) {
		return -EINVAL;
	}
	/* A read writes guest memory: never over xenboot, its rings or the DT. */
	rc = is_write ? fsload_check_ram("pvblock", addr, bytes)
		      : fsload_check("pvblock", addr, bytes);
	if (rc) {
		return rc;
	}
	xb_printf("pvblock %s: %s block # 0x%llx, count 0x%llx ... ", is_write ? "write" : "read",
		  in.name, (unsigned long long)blk, (unsigned long long)cnt);
	void *buf = arch_phys_to_virt(addr);
	uint64_t moved = pv_moved(is_write);
	uint64_t t0 = arch_time_ns();
	rc = blk > UINT64_MAX / per ? -EINVAL
	     : is_write		    ? blkfront_write(dev, blk * per, cnt * per, buf)
				    : blkfront_read(dev, blk * per, cnt * per, buf);
	uint64_t t1 = arch_time_ns();
	xb_printf("%llu blocks %s: %s\n", (unsigned long long)(rc ? 0 : cnt),
		  is_write ? "written" : "read", rc ? "ERROR" : "OK");
	if (rc) {
		xb_printf("pvblock: %s: %s\n", in.name,
			  rc == -EROFS ? "device is read-only, write refused" : errno_name(rc));
		return rc;
	}
	pv_rate(pv_moved(is_write) - moved, bytes, t1 - t0);
	return 0;
}

static int pv_stats(void)
{
	struct blkfront_stats s;

	blkfront_stats_get(&s);
	xb_printf("requests %llu, segments %llu, notifies %llu, waits %llu, copied %llu bytes, "
		  "direct pages %llu, max in flight %u\n"
		  "read %llu bytes, written %llu bytes\n",
		  (unsigned long long)s.requests, (unsigned long long)s.segments,
		  (unsigned long long)s.notifies, (unsigned long long)s.waits,
		  (unsigned long long)s.copied_bytes, (unsigned long long)s.direct_pages,
		  s.max_in_flight_seen, (unsigned long long)s.read_bytes,
		  (unsigned long long)s.written_bytes);
	return 0;
}

static int pv_misc(int argc, char *argv[])
{
	const char *sub = argv[1];
	uint64_t n;

	if (!strcmp(sub, "flush") && argc == 2) {
		struct blkfront_dev *dev = blkfront_get(pv_current);
		return dev ? blkfront_flush(dev) : -ENODEV;
	}
	if (!strcmp(sub, "segs") && argc == 3 && !cmd_parse_num(argv[2], &n)) {
		blkfront_set_max_segments((unsigned int)MIN(n, 4096ULL));
		return 0;
	}
	if (!strcmp(sub, "persistent") && argc == 3 && !cmd_parse_num(argv[2], &n)) {
		blkfront_set_persistent(n != 0);
		return 0;
	}
	if (!strcmp(sub, "shutdown") && argc == 2) {
		int rc = blkfront_shutdown_all();
		xb_printf("pvblock: shutdown %s\n", rc ? errno_name(rc) : "OK");
		pv_current = 0;
		return rc;
	}
	if (!strcmp(sub, "scan") && argc == 2) {
		int rc = disk_rescan();
		return rc < 0 ? rc : pv_list();
	}
	return CMD_RET_USAGE;
}

static int do_pvblock(int argc, char *argv[])
{
	if (argc < 2) {
		return CMD_RET_USAGE;
	}
	/* The first command probes the disks, as U-Boot's pvblock does. */
	(void)disk_probe();
	if (!strcmp(argv[1], "list") && argc == 2) {
		return pv_list();
	}
	if (!strcmp(argv[1], "dev") && argc <= 3) {
		return pv_dev(argc, argv);
	}
	if (!strcmp(argv[1], "read") || !strcmp(argv[1], "write")) {
		return pv_rw(argc, argv, argv[1][0] == 'w');
	}
	if (!strcmp(argv[1], "stats") && argc == 2) {
		return pv_stats();
	}
	return pv_misc(argc, argv);
}

const struct cmd cmd_pvblock = {
    .name = "pvblock",
    .usage = "list | dev [n|name] | read|write <addr> <blk> <cnt> | flush | stats | segs <n> | "
	     "persistent 0|1 | scan | shutdown",
    .help = "PV disks (hex numbers; blocks of the disk's sector-size)",
    .run = do_pvblock,
};
