/* part: partition tables, with U-Boot's subcommands and layout.
 *   part list <interface> <dev> [var]       the table, or its numbers in var
 *   part uuid <interface> <dev[:part]> [var] a partition's PARTUUID (for root=)
 * GPT names come from the disk and are printed escaped (STYLE G3). */
#include <cmd/cmd.h>
#include <lib/env.h>
#include <disk/disk.h>
#include <disk/part.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <string.h>

/* About 24 KiB: not on the stack. */
static struct part_table table;

static int scan(const char *who, const char *iface, const char *devspec, struct blk_dev *dev)
{
	int rc = part_scan(dev, &table);

	if (rc) {
		xb_printf("%s: %s %pE: cannot read the partition table: %s\n", who, iface, devspec,
			  errno_name(rc));
	}
	return rc;
}

static void list_gpt(void)
{
	char guid[PART_UUID_STR];

	xb_printf("Part\tStart LBA\tEnd LBA\t\tName\n\tType GUID\n\tPartition GUID\n");
	for (unsigned int i = 0; i < table.count; i++) {
		const struct part_entry *e = &table.entries[i];

		part_guid_format(e->type_guid, guid);
		xb_printf("%3u\t0x%08llx\t0x%08llx\t\"%pE\"\n\ttype:\t%s\n\tguid:\t%s\n", e->number,
			  (unsigned long long)e->first_lba,
			  (unsigned long long)(e->first_lba + e->block_count - 1), e->name, guid,
			  e->partuuid);
	}
}

static void list_mbr(void)
{
	xb_printf("Part\tStart Sector\tNum Sectors\tUUID\t\tType\n");
	for (unsigned int i = 0; i < table.count; i++) {
		const struct part_entry *e = &table.entries[i];

		xb_printf("%3u\t%-10llu\t%-10llu\t%s\t%02x%s\n", e->number,
			  (unsigned long long)e->first_lba, (unsigned long long)e->block_count,
			  e->partuuid, e->mbr_type, e->is_bootable ? " Boot" : "");
	}
}

/* The numbers as a space-separated list, as U-Boot's `part list ... var`. */
static int list_to_var(const char *var)
{
	char buf[ENV_VALUE_MAX];
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < table.count && at + 8 < sizeof(buf); i++) {
		at += (size_t)xb_snprintf(buf + at, sizeof(buf) - at, "%s%u", i ? " " : "",
					  table.entries[i].number);
	}
	return env_set(var, buf);
}

static int part_list(int argc, char *argv[])
{
	struct blk_dev *dev = disk_dev("part", argv[2], argv[3]);
	int rc;

	if (!dev) {
		return -ENODEV;
	}
	rc = scan("part", argv[2], argv[3], dev);
	if (rc) {
		return rc;
	}
	if (argc == 5) {
		return list_to_var(argv[4]);
	}
	if (table.scheme == PART_SCHEME_NONE) {
		xb_printf("%s %pE (%s): no partition table\n", argv[2], argv[3], dev->name);
		return 0;
	}
	xb_printf("\nPartition Map for %s device %pE (%s)  --   Partition Type: %s\n\n", argv[2],
		  argv[3], dev->name, table.scheme == PART_SCHEME_GPT ? "EFI" : "DOS");
	if (table.scheme == PART_SCHEME_GPT) {
		list_gpt();
	} else {
		list_mbr();
	}
	return 0;
}

static int part_uuid(int argc, char *argv[])
{
	struct blk_part part;
	int rc = disk_part("part", argv[2], argv[3], &part);

	if (rc || (rc = scan("part", argv[2], argv[3], part.dev))) {
		return rc;
	}
	/* disk_part() resolved every spelling; its window names the entry. */
	for (unsigned int i = 0; i < table.count; i++) {
		const struct part_entry *e = &table.entries[i];

		if (e->first_lba == part.first_lba && e->block_count == part.block_count) {
			if (argc == 5) {
				return env_set(argv[4], e->partuuid);
			}
			xb_printf("%s\n", e->partuuid);
			return 0;
		}
	}
	xb_printf("part: %s %pE is not a partition\n", argv[2], argv[3]);
	return -ENOENT;
}

static int do_part(int argc, char *argv[])
{
	if (argc < 4 || argc > 5) {
		return CMD_RET_USAGE;
	}
	if (strcmp(argv[1], "list") == 0) {
		return part_list(argc, argv);
	}
	if (strcmp(argv[1], "uuid") == 0) {
		return part_uuid(argc, argv);
	}
	return CMD_RET_USAGE;
}

const struct cmd cmd_part = {
    .name = "part",
    .usage = "list <interface> <dev> [var] | uuid <interface> <dev[:part]> [var]",
    .help = "show partition tables; a partition's PARTUUID",
    .run = do_part,
};
