/* FAT directories: the fixed FAT12/16 root or a cluster chain, read entry by
 * entry. Long names are assembled from their LFN entries and used only when
 * the sequence is complete and its checksum matches the short entry that
 * follows (as the spec requires), otherwise the 8.3 name is shown. Lookups
 * compare case-insensitively, like every FAT implementation. */
#define LOG_PREFIX "fat: "
#include "layout.h"
#include <fs/fat.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

struct dir_cursor {
	uint32_t dir; /* first cluster; 0: fixed root */
	uint32_t cluster; /* cluster holding entry index cluster_idx * per_cluster */
	uint32_t cluster_idx;
};

/* Long-name assembly state while walking a directory. */
struct lfn_state {
	uint16_t units[FAT_LFN_MAX_ENTRIES * FAT_LFN_CHARS + 1];
	unsigned int next_ord; /* the ord expected next; 0 when complete */
	unsigned int total; /* entries in the sequence; 0: none */
	uint8_t checksum;
	uint32_t first_index;
};

static int cursor_offset(struct fat_fs *fs, struct dir_cursor *c, uint32_t index, uint64_t *off)
{
	uint32_t per = fs->cluster_size / 32, want = index / per;

	if (c->dir == 0) {
		if (index >= fs->root_entries) {
			return -ENOENT;
		}
		*off = fs->root_offset + (uint64_t)index * 32;
		return 0;
	}
	if (index >= FAT_DIR_MAX_ENTRIES) {
		return -ENOENT;
	}
	if (want < c->cluster_idx || c->cluster == 0) {
		c->cluster = c->dir;
		c->cluster_idx = 0;
	}
	while (c->cluster_idx < want) {
		uint32_t next;
		int ret = fat_next(fs, c->cluster, &next);

		if (ret) {
			return ret;
		}
		if (next == 0) {
			return -ENOENT; /* the chain ended: so does the directory */
		}
		c->cluster = next;
		c->cluster_idx++;
	}
	*off = fat_cluster_offset(fs, c->cluster) + (uint64_t)(index % per) * 32;
	return 0;
}

int fat_dir_entry_offset(struct fat_fs *fs, uint32_t dir_cluster, uint32_t index, uint64_t *out)
{
	struct dir_cursor c = {.dir = dir_cluster};

	return cursor_offset(fs, &c, index, out);
}

uint8_t fat_short_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;

	for (unsigned int i = 0; i < 11; i++) {
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	}
	return sum;
}

static void lfn_add(struct lfn_state *s, const uint8_t *raw, uint32_t index)
{
	struct fat_lfn l;
	unsigned int ord, at;

	memcpy(&l, raw, sizeof(l));
	ord = l.ord & 0x3f;
	if (l.ord & FAT_LFN_LAST) {
		if (ord == 0 || ord > FAT_LFN_MAX_ENTRIES) {
			s->total = 0;
			return;
		}
		s->total = ord;
		s->checksum = l.checksum;
		s->first_index = index;
		s->units[ord * FAT_LFN_CHARS] = 0;
	} else if (s->total == 0 || ord == 0 || ord != s->next_ord || l.checksum != s->checksum) {
		/* Out of sequence, or ord 0 after a complete run (it would
		 * index before the buffer): an orphan, ignore it. */
		s->total = 0;
		return;
	}
	at = (ord - 1) * FAT_LFN_CHARS;
	for (unsigned int i = 0; i < 5; i++) {
		s->units[at++] = get_le16(&l.name1[i]);
	}
	for (unsigned int i = 0; i < 6; i++) {
		s->units[at++] = get_le16(&l.name2[i]);
	}
	for (unsigned int i = 0; i < 2; i++) {
		s->units[at++] = get_le16(&l.name3[i]);
	}
	s->next_ord = ord - 1;
}

/* UTF-16 long name to UTF-8; unpaired surrogates become '?'. */
static void lfn_to_utf8(const uint16_t *u, char *out, size_t size)
{
	size_t o = 0;

	for (unsigned int i = 0; u[i] && u[i] != 0xffff; i++) {
		uint32_t c = u[i];

		if (c >= 0xd800 && c < 0xdc00 && u[i + 1] >= 0xdc00 && u[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (u[++i] - 0xdc00);
		} else if (c >= 0xd800 && c < 0xe000) {
			c = '?';
		}
		if (o + 5 > size) {
			break;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
}

/* "NAME.EXT" from the 11-byte form, honouring the NT lower-case flags. */
void fat_short_text(const uint8_t name[11], uint8_t nt_case, char out[13])
{
	unsigned int o = 0, base_len = 8, ext_len = 3;

	while (base_len > 0 && name[base_len - 1] == ' ') {
		base_len--;
	}
	while (ext_len > 0 && name[8 + ext_len - 1] == ' ') {
		ext_len--;
	}
	for (unsigned int i = 0; i < base_len + ext_len; i++) {
		unsigned int at = i < base_len ? i : 8 + i - base_len;
		char c = (char)name[at];

		if (at == 0 && name[0] == 0x05) {
			c = (char)0xe5; /* 0x05 stands for a real leading 0xe5 */
		}
		if (i == base_len) {
			out[o++] = '.';
		}
		if (c >= 'A' && c <= 'Z' && (nt_case & (at >= 8 ? 0x10 : 0x08))) {
			c = (char)(c - 'A' + 'a');
		}
		out[o++] = c;
	}
	out[o] = '\0';
}

static void fill_item(struct fat_fs *fs, const struct fat_dirent *d, struct lfn_state *s,
		      uint32_t index, struct fat_item *it)
{
	memcpy(it->short_name, d->name, 11);
	it->attr = d->attr;
	it->cluster = get_le16(&d->cluster_lo);
	if (fs->type == 32) {
		it->cluster |= (uint32_t)get_le16(&d->cluster_hi) << 16;
	}
	it->size = get_le32(&d->size);
	it->index = index;
	it->first_index = index;
	if (s->total && s->next_ord == 0 && s->checksum == fat_short_checksum(d->name)) {
		lfn_to_utf8(s->units, it->name, sizeof(it->name));
		it->first_index = s->first_index;
	} else {
		fat_short_text(d->name, d->nt_case, it->name);
	}
	s->total = 0;
}

int fat_dir_iterate(struct fat_fs *fs, uint32_t cluster,
		    int (*fn)(void *arg, const struct fat_item *item), void *arg)
{
	struct dir_cursor c = {.dir = cluster};
	struct lfn_state s;
	struct fat_item item;
	struct fat_dirent d;
	uint64_t off;
	int ret;

	s.total = 0;
	for (uint32_t index = 0; index < FAT_DIR_MAX_ENTRIES; index++) {
		ret = cursor_offset(fs, &c, index, &off);
		if (ret) {
			return ret == -ENOENT ? 0 : ret;
		}
		ret = blk_part_read(&fs->part, off, sizeof(d), &d);
		if (ret) {
			return ret;
		}
		if (d.name[0] == FAT_DIRENT_END) {
			return 0;
		}
		if (d.name[0] == FAT_DIRENT_FREE) {
			s.total = 0;
		} else if ((d.attr & 0x3f) == FAT_ATTR_LFN) {
			lfn_add(&s, (const uint8_t *)&d, index);
		} else if (d.attr & FAT_ATTR_VOLUME_ID) {
			s.total = 0;
		} else {
			fill_item(fs, &d, &s, index, &item);
			ret = fn(arg, &item);
			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

/* The first run of @count free entries (deleted or past the end marker) in
 * directory @dir; -ENOSPC when the directory's current size has none. */
int fat_dir_find_free(struct fat_fs *fs, uint32_t dir, uint32_t count, uint32_t *index)
{
	struct dir_cursor c = {.dir = dir};
	uint32_t run = 0;
	uint8_t first;
	uint64_t off;
	int ret;

	for (uint32_t i = 0; i < FAT_DIR_MAX_ENTRIES; i++) {
		ret = cursor_offset(fs, &c, i, &off);
		if (ret) {
			return ret == -ENOENT ? -ENOSPC : ret;
		}
		ret = blk_part_read(&fs->part, off, 1, &first);
		if (ret) {
			return ret;
		}
		run = (first == FAT_DIRENT_FREE || first == FAT_DIRENT_END) ? run + 1 : 0;
		if (run == count) {
			*index = i + 1 - count;
			return 0;
		}
	}
	return -ENOSPC;
}
