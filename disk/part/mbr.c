/* MBR partition tables, including the chain of extended boot records (EBRs)
 * that holds logical partitions. Everything read here is untrusted: entries
 * are range-checked against the disk, and the EBR chain is bounded so a
 * loop in it ends the walk instead of hanging. */
#define LOG_PREFIX "mbr: "
#include <lib/le.h>
#include <disk/part.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>
#include <string.h>

/* Logical partitions we follow before assuming the chain is hostile. */
#define MBR_MAX_LOGICAL 64
#define MBR_TYPE_GPT_PROTECTIVE 0xee

/* One partition record (16 bytes at 446 + 16 * i). */
struct mbr_part {
	uint8_t status; /* 0x80 active, 0x00 inactive; anything else: not an MBR */
	uint8_t chs_first[3];
	uint8_t type;
	uint8_t chs_last[3];
	le32 first_lba; /* relative: to the disk, or for EBRs see below */
	le32 sector_count;
};
static_assert(sizeof(struct mbr_part) == 16, "MBR partition record");

struct mbr {
	uint8_t code[440];
	le32 disk_signature;
	le16 reserved;
	struct mbr_part part[4];
	uint8_t signature[2]; /* 0x55 0xaa */
};
static_assert(sizeof(struct mbr) == 512, "MBR sector");
static_assert(offsetof(struct mbr, disk_signature) == 440, "MBR disk signature");
static_assert(offsetof(struct mbr, part) == 446, "MBR partition table");
static_assert(offsetof(struct mbr, signature) == 510, "MBR boot signature");

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static int read_sector(struct blk_dev *dev, uint64_t lba, struct mbr *m)
{
	int ret = blk_read(dev, lba * dev->block_size, sizeof(*m), m);

	if (ret) {
		return ret;
	}
	return m->signature[0] == 0x55 && m->signature[1] == 0xaa ? 0 : -ENOENT;
}

/* Add a partition at absolute @first of @count blocks, if it fits on the disk. */
static void add_entry(struct blk_dev *dev, struct part_table *out, uint32_t disk_sig,
		      unsigned int number, const struct mbr_part *p, uint64_t first)
{
	uint64_t count = get_le32(&p->sector_count);
	struct part_entry *e;

	if (first == 0 || first + count > dev->block_count) {
		log_notice("%s: partition %u (%llu+%llu) outside the disk; ignored\n", dev->name,
			   number, (unsigned long long)first, (unsigned long long)count);
		return;
	}
	if (out->count >= PART_MAX) {
		log_notice("%s: more than %u partitions; ignoring %u\n", dev->name, PART_MAX,
			   number);
		return;
	}
	e = &out->entries[out->count++];
	memset(e, 0, sizeof(*e));
	e->number = number;
	e->first_lba = first;
	e->block_count = count;
	e->mbr_type = p->type;
	e->is_bootable = p->status == 0x80;
	/* Linux's PARTUUID for MBR disks: signature and partition number. */
	xb_snprintf(e->partuuid, sizeof(e->partuuid), "%08x-%02x", disk_sig, number);
}

/* Walk the EBR chain of the extended partition @ext (blocks @ext_first..). */
static void parse_logical(struct blk_dev *dev, struct part_table *out, uint32_t disk_sig,
			  uint64_t ext_first, uint64_t ext_count)
{
	uint64_t ebr = ext_first, ext_end = ext_first + ext_count;
	unsigned int number = 5;
	struct mbr m;

	for (unsigned int hop = 0; hop < MBR_MAX_LOGICAL; hop++) {
		const struct mbr_part *lp = &m.part[0], *next = &m.part[1];
		uint64_t first;

		if (read_sector(dev, ebr, &m)) {
			log_notice("%s: bad extended boot record at %llu\n", dev->name,
				   (unsigned long long)ebr);
			return;
		}
		/* The logical partition is relative to its own EBR and must lie
		 * inside the extended partition. */
		first = ebr + get_le32(&lp->first_lba);
		if (lp->type != 0 && get_le32(&lp->sector_count) != 0) {
			if (first <= ebr || first + get_le32(&lp->sector_count) > ext_end) {
				log_notice("%s: logical partition %u outside its extended "
					   "partition; ignored\n",
					   dev->name, number);
			} else {
				add_entry(dev, out, disk_sig, number, lp, first);
			}
			number++;
		}
		/* The link to the next EBR is relative to the extended partition. */
		if (!is_extended(next->type) || get_le32(&next->sector_count) == 0) {
			return;
		}
		ebr = ext_first + get_le32(&next->first_lba);
		if (ebr <= ext_first || ebr >= ext_end) {
			log_notice("%s: EBR link outside the extended partition\n", dev->name);
			return;
		}
	}
	log_notice("%s: more than %u logical partitions; chain cut\n", dev->name, MBR_MAX_LOGICAL);
}

int mbr_parse(struct blk_dev *dev, struct part_table *out)
{
	uint64_t ext_first = 0, ext_count = 0;
	uint32_t sig;
	struct mbr m;
	int ret;

	ret = read_sector(dev, 0, &m);
	if (ret) {
		return ret;
	}
	/* A FAT or NTFS boot sector also ends in 55 aa; its bytes at 446 are
	 * code or text, which never has only 0x00/0x80 in every status byte. */
	for (unsigned int i = 0; i < 4; i++) {
		if (m.part[i].status != 0 && m.part[i].status != 0x80) {
			return -ENOENT;
		}
		if (m.part[i].type == MBR_TYPE_GPT_PROTECTIVE) {
			return -EAGAIN;
		}
	}
	memset(out, 0, sizeof(*out));
	out->scheme = PART_SCHEME_MBR;
	sig = get_le32(&m.disk_signature);
	xb_snprintf(out->disk_id, sizeof(out->disk_id), "%08x", sig);
	for (unsigned int i = 0; i < 4; i++) {
		const struct mbr_part *p = &m.part[i];

		if (p->type == 0 || get_le32(&p->sector_count) == 0) {
			continue;
		}
		if (is_extended(p->type)) {
			/* Only the first extended partition is followed, as Linux does. */
			if (ext_count == 0) {
				ext_first = get_le32(&p->first_lba);
				ext_count = get_le32(&p->sector_count);
			}
			continue;
		}
		add_entry(dev, out, sig, i + 1, p, get_le32(&p->first_lba));
	}
	if (ext_count != 0 && ext_first != 0 && ext_first + ext_count <= dev->block_count) {
		parse_logical(dev, out, sig, ext_first, ext_count);
	}
	return 0;
}
