/* Cluster allocation for FAT writes. Allocation looks for one free run
 * long enough for the whole chain, from the FSInfo hint, and falls back to
 * taking free clusters in order: a contiguous chain is one data write. Table
 * updates go through the window in bpb.c and reach the disk once per touched
 * sector range and copy: the caller flushes a new chain once it has linked
 * what it needs and before any entry points at it. FSInfo's free count is
 * adjusted once per operation (fat_fsinfo_sync()), or set to "unknown" when
 * it was not trustworthy to begin with. */
#define LOG_PREFIX "fat: "
#include "layout.h"
#include <fs/fat.h>
#include <lib/errno.h>
#include <lib/log.h>

static uint32_t eoc_value(const struct fat_fs *fs)
{
	return fs->type == 12 ? 0xfff : fs->type == 16 ? 0xffff : 0x0fffffff;
}

/* The next free cluster at or after *@cursor (wrapping), or -ENOSPC. */
static int find_free(struct fat_fs *fs, uint32_t *cursor)
{
	uint32_t c = *cursor, v;
	int ret;

	for (uint32_t n = 0; n < fs->cluster_count; n++, c++) {
		if (c < 2 || c > fs->cluster_count + 1) {
			c = 2;
		}
		ret = fat_entry_get(fs, c, &v);
		if (ret) {
			return ret;
		}
		if (v == 0) {
			*cursor = c;
			return 0;
		}
	}
	return -ENOSPC;
}

/* The start of the first run of @count free clusters at or after *@cursor
 * (wrapping; runs themselves do not wrap), or -ENOSPC. */
static int find_run(struct fat_fs *fs, uint32_t count, uint32_t *cursor)
{
	uint32_t c = *cursor, start = 0, run = 0, v;
	int ret;

	/* cluster_count + count steps: a run that starts just before the
	 * cursor is still seen whole after wrapping. */
	for (uint64_t n = 0; n < (uint64_t)fs->cluster_count + count; n++, c++) {
		if (c < 2 || c > fs->cluster_count + 1) {
			c = 2;
			run = 0;
		}
		ret = fat_entry_get(fs, c, &v);
		if (ret) {
			return ret;
		}
		if (v != 0) {
			run = 0;
			continue;
		}
		if (run++ == 0) {
			start = c;
		}
		if (run == count) {
			*cursor = start;
			return 0;
		}
	}
	return -ENOSPC;
}

int fat_alloc_chain(struct fat_fs *fs, uint32_t count, uint32_t *first)
{
	uint32_t cursor = fs->next_free, prev = 0;
	int ret;

	*first = 0;
	ret = count <= fs->cluster_count ? find_run(fs, count, &cursor) : -ENOSPC;
	if (ret == -ENOSPC) {
		cursor = fs->next_free; /* fragmented: any free clusters will do */
	} else if (ret) {
		return ret;
	}
	for (uint32_t got = 0; got < count; got++) {
		ret = find_free(fs, &cursor);
		if (ret == 0) {
			/* Mark it used before linking, so a failure leaves no
			 * link to a free cluster. */
			ret = fat_entry_set(fs, cursor, eoc_value(fs));
		}
		if (ret == 0) {
			/* Counted as soon as it is marked: freeing a partial
			 * chain on error gives back exactly this. */
			fs->free_delta--;
			fs->is_fsinfo_stale = true;
		}
		if (ret == 0 && prev) {
			ret = fat_entry_set(fs, prev, cursor);
		}
		if (ret) {
			goto err_free;
		}
		if (!prev) {
			*first = cursor;
		}
		prev = cursor++;
	}
	fs->next_free = cursor > fs->cluster_count + 1 ? 2 : cursor;
	return 0;

err_free:
	if (*first && fat_free_chain(fs, *first) == 0) {
		*first = 0;
	}
	return ret;
}

int fat_free_chain(struct fat_fs *fs, uint32_t first)
{
	uint32_t c = first, next;
	int64_t freed = 0;
	int ret = 0, ret2;

	/* A chain cannot be longer than the cluster count: that bound stops
	 * a loop in a corrupt table. */
	for (uint32_t n = 0; c && n <= fs->cluster_count; n++) {
		ret = fat_next(fs, c, &next);
		if (ret) {
			break;
		}
		ret = fat_entry_set(fs, c, 0);
		if (ret) {
			break;
		}
		freed++;
		c = next;
	}
	if (ret == 0 && c) {
		fat_corrupt(fs, "cluster chain loops at", c);
		ret = -EIO;
	}
	if (freed) {
		fs->free_delta += freed;
		fs->is_fsinfo_stale = true;
	}
	/* Even after an error: what was freed in the window is what FSInfo
	 * will be told. */
	ret2 = fat_flush(fs);
	return ret ? ret : ret2;
}

int fat_fsinfo_sync(struct fat_fs *fs)
{
	int64_t free_count, delta = fs->free_delta;
	struct fat_fsinfo fi;
	int ret;

	if (!fs->is_fsinfo_stale) {
		return 0;
	}
	fs->is_fsinfo_stale = false;
	fs->free_delta = 0;
	if (!fs->fsinfo_offset) {
		return 0;
	}
	ret = blk_part_read(&fs->part, fs->fsinfo_offset, sizeof(fi), &fi);
	if (ret) {
		return ret;
	}
	if (get_le32(&fi.lead_sig) != FAT_FSINFO_LEAD ||
	    get_le32(&fi.struc_sig) != FAT_FSINFO_STRUC) {
		return 0;
	}
	free_count = get_le32(&fi.free_count);
	/* A count we cannot trust stays or becomes "unknown": readers then
	 * recount instead of believing a wrong number. */
	if (free_count > fs->cluster_count || free_count + delta < 0 ||
	    free_count + delta > fs->cluster_count) {
		put_le32(&fi.free_count, FAT_FSINFO_UNKNOWN);
	} else {
		put_le32(&fi.free_count, (uint32_t)(free_count + delta));
	}
	put_le32(&fi.next_free, fs->next_free);
	return blk_part_write(&fs->part,
			      fs->fsinfo_offset + offsetof(struct fat_fsinfo, free_count), 8,
			      &fi.free_count);
}
