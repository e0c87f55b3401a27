/* Which partition table a disk has, and naming partitions from the shell:
 * "0:1", "xvda:2", "0:PARTLABEL=boot", "PARTUUID=...". */
#define LOG_PREFIX "part: "
#include <disk/part.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/parse.h>
#include <string.h>

#define PREFIX_LABEL "PARTLABEL="
#define PREFIX_UUID "PARTUUID="

/* part_open() scans into this: a table is ~24 KiB, too big for the stack. */
static struct part_table scan_table;

int part_scan(struct blk_dev *dev, struct part_table *out)
{
	int ret = mbr_parse(dev, out);

	/* Protective or hybrid MBR: the GPT is the table. No MBR signature at
	 * all: a GPT may still be there (its protective MBR was wiped). */
	if (ret == -EAGAIN || ret == -ENOENT) {
		int gret = gpt_parse(dev, out);

		if (gret != -ENOENT || ret == -EAGAIN) {
			return gret == -ENOENT ? -EINVAL : gret;
		}
		ret = 0;
		out->count = 0;
	}
	if (ret) {
		return ret;
	}
	/* An MBR without entries is a boot sector of an unpartitioned
	 * filesystem (a FAT "superfloppy"): the whole disk is the volume. */
	if (out->count == 0) {
		memset(out, 0, sizeof(*out));
		out->scheme = PART_SCHEME_NONE;
	}
	return 0;
}

static bool is_same_nocase(const char *a, const char *b)
{
	for (;; a++, b++) {
		char ca = *a, cb = *b;

		if (ca >= 'A' && ca <= 'Z') {
			ca = (char)(ca - 'A' + 'a');
		}
		if (cb >= 'A' && cb <= 'Z') {
			cb = (char)(cb - 'A' + 'a');
		}
		if (ca != cb) {
			return false;
		}
		if (!ca) {
			return true;
		}
	}
}

int part_select(const struct part_table *table, const char *spec, const struct part_entry **out)
{
	size_t llen = strlen(PREFIX_LABEL), ulen = strlen(PREFIX_UUID);
	bool is_label = strncmp(spec, PREFIX_LABEL, llen) == 0;
	bool is_uuid = strncmp(spec, PREFIX_UUID, ulen) == 0;
	uint64_t number = 0;
	int ret;

	if (!is_label && !is_uuid) {
		ret = parse_u64(spec, 10, &number);
		if (ret || number == 0) {
			return -EINVAL;
		}
	}
	for (unsigned int i = 0; i < table->count; i++) {
		const struct part_entry *e = &table->entries[i];
		bool is_match;

		if (number) {
			is_match = e->number == number;
		} else if (is_label) {
			is_match = e->name[0] && strcmp(e->name, spec + llen) == 0;
		} else {
			is_match = e->partuuid[0] && is_same_nocase(e->partuuid, spec + ulen);
		}
		if (is_match) {
			*out = e;
			return 0;
		}
	}
	return -ENOENT;
}

static int open_entry(struct blk_dev *dev, const struct part_entry *e, struct blk_part *out)
{
	return blk_part_init(out, dev, e->first_lba, e->block_count);
}

/* "PARTUUID=..." or "PARTLABEL=..." on any device: the first match. */
static int open_anywhere(const char *spec, struct blk_part *out)
{
	const struct part_entry *e;

	for (unsigned int i = 0; i < blk_count(); i++) {
		struct blk_dev *dev = blk_get(i);

		if (!dev || part_scan(dev, &scan_table)) {
			continue;
		}
		if (part_select(&scan_table, spec, &e) == 0) {
			return open_entry(dev, e, out);
		}
	}
	return -ENOENT;
}

static struct blk_dev *find_dev(const char *s, size_t len)
{
	char name[BLK_NAME_MAX];
	uint64_t index;

	if (len == 0 || len >= sizeof(name)) {
		return NULL;
	}
	if (parse_u64_n(s, len, 10, &index) == 0) {
		return index < 0x10000 ? blk_get((unsigned int)index) : NULL;
	}
	memcpy(name, s, len);
	name[len] = '\0';
	return blk_find(name);
}

int part_open(const char *spec, struct blk_part *out)
{
	const char *colon = strchr(spec, ':');
	const struct part_entry *e;
	struct blk_dev *dev;
	int ret;

	/* A GPT name may itself contain ':', so look for the prefixes first. */
	if (strncmp(spec, PREFIX_LABEL, strlen(PREFIX_LABEL)) == 0 ||
	    strncmp(spec, PREFIX_UUID, strlen(PREFIX_UUID)) == 0) {
		return open_anywhere(spec, out);
	}
	dev = find_dev(spec, colon ? (size_t)(colon - spec) : strlen(spec));
	if (!dev) {
		return -ENODEV;
	}
	if (colon && strcmp(colon + 1, "0") == 0) {
		blk_part_whole(out, dev);
		return 0;
	}
	ret = part_scan(dev, &scan_table);
	if (ret) {
		return ret;
	}
	if (!colon || colon[1] == '\0') {
		/* U-Boot's default: the first partition, or the whole disk. */
		if (scan_table.count == 0) {
			blk_part_whole(out, dev);
			return 0;
		}
		return open_entry(dev, &scan_table.entries[0], out);
	}
	ret = part_select(&scan_table, colon + 1, &e);
	if (ret) {
		return ret;
	}
	return open_entry(dev, e, out);
}
