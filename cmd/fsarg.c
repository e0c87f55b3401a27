/* The file commands' names for what the layers below do (include/cmd/fsarg.h):
 * naming disks and partitions is disk/disk.c, mounting and loading is
 * fs/fsload.c. Kept so every command keeps its spelling and messages. */
#include <cmd/fsarg.h>
#include <disk/disk.h>
#include <fs/fsload.h>

struct blk_dev *fsarg_dev(const char *who, const char *iface, const char *dev)
{
	return disk_dev(who, iface, dev);
}

int fsarg_part(const char *who, const char *iface, const char *spec, struct blk_part *out)
{
	return disk_part(who, iface, spec, out);
}

int fsarg_mount(const char *who, const char *iface, const char *spec, struct fs **out)
{
	return fsload_mount(who, iface, spec, out);
}

int fsarg_check_ram(const char *who, uint64_t addr, uint64_t len)
{
	return fsload_check_ram(who, addr, len);
}

int fsarg_check_load(const char *who, uint64_t addr, uint64_t len)
{
	return fsload_check(who, addr, len);
}

int fsarg_fs_error(const char *who, const char *path, int rc)
{
	return fsload_error(who, path, rc);
}

void fsarg_print_rate(uint64_t bytes, uint64_t ns)
{
	fsload_print_rate(bytes, ns);
}
