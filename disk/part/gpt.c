/* GUID Partition Table (UEFI 2.10, chapter 5.3). The header is checked in
 * the order barebox's is_gpt_valid() uses (STYLE U5): signature, size, CRC,
 * self-reference, ranges; then the entry array's CRC, then each entry's
 * range and the absence of overlaps. When the primary header or its array is
 * bad, the backup at the disk's last LBA is used instead. */
#define LOG_PREFIX "gpt: "
#include <lib/le.h>
#include <disk/part.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <stdbool.h>
#include <string.h>

/* Caps on header fields, far above what any tool writes (128 x 128). */
#define GPT_MAX_ENTRIES 4096
#define GPT_MAX_ENTRY_SIZE 1024
#define GPT_ATTR_LEGACY_BOOTABLE (1ull << 2)

struct gpt_header {
	uint8_t signature[8]; /* "EFI PART" */
	le32 revision;
	le32 header_size;
	le32 header_crc;
	le32 reserved;
	le64 my_lba;
	le64 alternate_lba;
	le64 first_usable_lba;
	le64 last_usable_lba;
	uint8_t disk_guid[16];
	le64 entries_lba;
	le32 entry_count;
	le32 entry_size;
	le32 entries_crc;
};
static_assert(sizeof(struct gpt_header) == 92, "GPT header");
static_assert(offsetof(struct gpt_header, header_crc) == 16, "GPT header CRC");
static_assert(offsetof(struct gpt_header, my_lba) == 24, "GPT MyLBA");
static_assert(offsetof(struct gpt_header, disk_guid) == 56, "GPT DiskGUID");
static_assert(offsetof(struct gpt_header, entries_lba) == 72, "GPT PartitionEntryLBA");
static_assert(offsetof(struct gpt_header, entries_crc) == 88, "GPT array CRC");

struct gpt_entry {
	uint8_t type_guid[16];
	uint8_t unique_guid[16];
	le64 first_lba;
	le64 last_lba; /* inclusive */
	le64 attributes;
	le16 name[36]; /* UTF-16LE, NUL-padded */
};
static_assert(sizeof(struct gpt_entry) == 128, "GPT entry");
static_assert(offsetof(struct gpt_entry, first_lba) == 32, "GPT StartingLBA");
static_assert(offsetof(struct gpt_entry, name) == 56, "GPT PartitionName");

static int validate_ranges(const struct gpt_header *h, uint64_t lba, uint64_t block_count,
			   uint32_t block_size, struct gpt_array *out)
{
	uint64_t first = get_le64(&h->first_usable_lba), last = get_le64(&h->last_usable_lba);
	uint64_t arr = get_le64(&h->entries_lba), arr_end;
	uint32_t count = get_le32(&h->entry_count), size = get_le32(&h->entry_size);
	uint64_t bytes = (uint64_t)count * size;

	if (first > last || last >= block_count || (first <= lba && lba <= last)) {
		return -EINVAL;
	}
	if (size < sizeof(struct gpt_entry) || size > GPT_MAX_ENTRY_SIZE || size % 8 != 0 ||
	    count > GPT_MAX_ENTRIES) {
		return -EINVAL;
	}
	/* The array lies on the disk, outside the usable area, and not over
	 * this header. Neither product can overflow after the caps above. */
	arr_end = arr + (bytes + block_size - 1) / block_size;
	if (arr == 0 || arr >= block_count || arr_end > block_count ||
	    (arr <= lba && lba < arr_end) || (arr <= last && first < arr_end)) {
		return -EINVAL;
	}
	out->lba = arr;
	out->entry_count = count;
	out->entry_size = size;
	out->crc = get_le32(&h->entries_crc);
	out->first_usable = first;
	out->last_usable = last;
	out->alternate_lba = get_le64(&h->alternate_lba);
	memcpy(out->disk_guid, h->disk_guid, sizeof(out->disk_guid));
	return 0;
}

int gpt_header_validate(const uint8_t *buf, size_t len, uint64_t lba, uint64_t block_count,
			uint32_t block_size, struct gpt_array *out)
{
	static const uint8_t zero[4];
	struct gpt_header h;
	uint32_t size;
	uint32_t crc;

	if (len < sizeof(h) || len < block_size) {
		return -EINVAL;
	}
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.signature, "EFI PART", 8) != 0) {
		return -ENOENT;
	}
	size = get_le32(&h.header_size);
	if (size < sizeof(h) || size > block_size) {
		return -EINVAL;
	}
	/* The CRC covers header_size bytes with the CRC field taken as zero. */
	crc = crc32_update(0, buf, offsetof(struct gpt_header, header_crc));
	crc = crc32_update(crc, zero, sizeof(zero));
	crc = crc32_update(crc, buf + offsetof(struct gpt_header, reserved),
			   size - offsetof(struct gpt_header, reserved));
	if (crc != get_le32(&h.header_crc)) {
		return -EBADMSG;
	}
	if (get_le64(&h.my_lba) != lba) {
		return -EINVAL;
	}
	return validate_ranges(&h, lba, block_count, block_size, out);
}

/* One header at @lba, checked; its array is checked as it is parsed. */
static int load_header(struct blk_dev *dev, uint64_t lba, struct gpt_array *out)
{
	uint8_t block[BLK_CACHE_LINE];
	int ret;

	ret = blk_read(dev, lba * dev->block_size, dev->block_size, block);
	if (ret) {
		return ret;
	}
	return gpt_header_validate(block, dev->block_size, lba, dev->block_count, dev->block_size,
				   out);
}

/* UTF-16LE name to UTF-8; unpaired surrogates become '?'. */
static void name_to_utf8(const struct gpt_entry *e, char *out, size_t size)
{
	size_t o = 0;

	for (unsigned int i = 0; i < 36; i++) {
		uint32_t c = get_le16(&e->name[i]);

		if (c == 0) {
			break;
		}
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < 36 &&
		    get_le16(&e->name[i + 1]) >= 0xdc00 && get_le16(&e->name[i + 1]) < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (get_le16(&e->name[++i]) - 0xdc00);
		} else if (c >= 0xd800 && c < 0xe000) {
			c = '?';
		}
		if (c < 0x80 && o + 1 < size) {
			out[o++] = (char)c;
		} else if (c < 0x800 && o + 2 < size) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000 && o + 3 < size) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (o + 4 < size) {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
}

static bool is_zero_guid(const uint8_t *g)
{
	for (unsigned int i = 0; i < 16; i++) {
		if (g[i]) {
			return false;
		}
	}
	return true;
}

/* Check one used entry against the usable area and the entries before it. */
static int add_entry(struct part_table *out, const struct gpt_array *a, const struct gpt_entry *g,
		     unsigned int number)
{
	uint64_t first = get_le64(&g->first_lba), last = get_le64(&g->last_lba);
	struct part_entry *e;

	if (first > last || first < a->first_usable || last > a->last_usable) {
		log_notice("partition %u (%llu..%llu) outside the usable area\n", number,
			   (unsigned long long)first, (unsigned long long)last);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < out->count; i++) {
		const struct part_entry *o = &out->entries[i];

		if (first < o->first_lba + o->block_count && o->first_lba <= last) {
			log_notice("partitions %u and %u overlap\n", o->number, number);
			return -EINVAL;
		}
	}
	if (out->count >= PART_MAX) {
		log_notice("more than %u partitions; ignoring %u\n", PART_MAX, number);
		return 0;
	}
	e = &out->entries[out->count++];
	memset(e, 0, sizeof(*e));
	e->number = number;
	e->first_lba = first;
	e->block_count = last - first + 1;
	e->is_bootable = (get_le64(&g->attributes) & GPT_ATTR_LEGACY_BOOTABLE) != 0;
	memcpy(e->type_guid, g->type_guid, sizeof(e->type_guid));
	part_guid_format(g->unique_guid, e->partuuid);
	name_to_utf8(g, e->name, sizeof(e->name));
	return 0;
}

/* Parse the array and check its CRC over the very bytes parsed: the disk
 * may change between two reads (the array can exceed the block cache), so
 * checking one read and parsing another would trust unchecked data. */
static int read_entries(struct blk_dev *dev, const struct gpt_array *a, struct part_table *out)
{
	uint64_t off = a->lba * dev->block_size;
	uint8_t raw[GPT_MAX_ENTRY_SIZE];
	struct gpt_entry g;
	uint32_t crc = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	out->scheme = PART_SCHEME_GPT;
	part_guid_format(a->disk_guid, out->disk_id);
	for (uint32_t i = 0; i < a->entry_count; i++, off += a->entry_size) {
		ret = blk_read(dev, off, a->entry_size, raw);
		if (ret) {
			goto err_discard;
		}
		crc = crc32_update(crc, raw, a->entry_size);
		memcpy(&g, raw, sizeof(g));
		if (is_zero_guid(g.type_guid)) {
			continue;
		}
		ret = add_entry(out, a, &g, i + 1);
		if (ret) {
			goto err_discard;
		}
	}
	if (crc == a->crc) {
		return 0;
	}
	ret = -EBADMSG;
err_discard:
	memset(out, 0, sizeof(*out));
	return ret;
}

int gpt_parse(struct blk_dev *dev, struct part_table *out)
{
	uint64_t last = dev->block_count - 1;
	struct gpt_array a;
	int ret, ret2;

	if (dev->block_count < 3) {
		return -ENOENT;
	}
	ret = load_header(dev, 1, &a);
	if (ret == 0) {
		ret = read_entries(dev, &a, out);
		if (ret == 0) {
			return 0;
		}
	}
	/* The backup should sit at the primary's AlternateLBA, which is the
	 * last LBA unless the disk grew; only the last LBA is trusted here. */
	ret2 = load_header(dev, last, &a);
	if (ret2 == 0) {
		ret2 = read_entries(dev, &a, out);
	}
	if (ret2 == 0) {
		if (ret != -ENOENT) {
			log_notice("%s: primary GPT bad (%s); using the backup\n", dev->name,
				   errno_name(ret));
		}
		return 0;
	}
	if (ret == -ENOENT && ret2 == -ENOENT) {
		return -ENOENT;
	}
	log_notice("%s: no valid GPT (primary %s, backup %s)\n", dev->name, errno_name(ret),
		   errno_name(ret2));
	return -EINVAL;
}

void part_guid_format(const uint8_t g[16], char out[PART_UUID_STR])
{
	/* The first three fields are little-endian, the rest is a byte string. */
	static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	static const char hex[] = "0123456789abcdef";
	unsigned int o = 0;

	for (unsigned int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			out[o++] = '-';
		}
		out[o++] = hex[g[order[i]] >> 4];
		out[o++] = hex[g[order[i]] & 0xf];
	}
	out[o] = '\0';
}
