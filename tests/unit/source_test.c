/* `source` (cmd/source.c) on script images built here as mkimage builds
 * them, in guest RAM of the simulated Xen: plain and gzip payloads, every
 * refusal, a script that loads over itself, and Debian flash-kernel's
 * generic boot script run unchanged from a disk, found by a distro-boot
 * style scan, up to its boot command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "guest_world.h"

#include "console_out.h"

#include "images/image.h"
#include <arch/arch.h>
#include <boot/uimage.h>
#include <cmd/cmd.h>
#include <cmd/script.h>
#include <cmd/shell.h>
#include <disk/blk.h>
#include <drivers/pvcons.h>
#include <init/main.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <sim/console.h>
#include <sim/sim.h>
#include <uimage_build.h>
#include <zlib.h>

/* Guest RAM is 0x40000000..0x50000000; xenboot and its heap end at the DT
 * (0x48000000), so scripts and files go above. */
#define SCRIPT_GPA 0x49000000ULL
#define KERNEL_GPA 0x4a000000ULL
#define FDT_GPA 0x4b000000ULL
#define INITRD_GPA 0x4c000000ULL
#define RAM_END 0x50000000ULL

static struct blk_ram ram;
static struct dtinfo dt;
static uint8_t *disk;
static size_t disk_size;
static uint8_t img[64 + 8 + 65536];

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt)) {
		return -1;
	}
	return guest_world_ramdisk(&ram, "disk", &disk, &disk_size);
}

static int teardown(void **state)
{
	blk_unregister(&ram.dev);
	free(disk);
	sim_reset();
	return 0;
}

static int run(const char *line)
{
	sim_console_output_clear();
	return shell_run_line(line);
}

static void assert_out(const char *want)
{
	if (strcmp(out(), want) != 0) {
		fail_msg("output is:\n%s\nwanted:\n%s", out(), want);
	}
}

static uint8_t *guest(uint64_t gpa)
{
	return arch_phys_to_virt(gpa);
}

/* A script image of @text at @gpa; returns its length. */
static size_t put_script(uint64_t gpa, const char *text, uint8_t comp)
{
	size_t n = ub_script(img, comp, text, (uint32_t)strlen(text));

	memcpy(guest(gpa), img, n);
	return n;
}

static size_t gzip_text(const char *text, uint8_t *dst, size_t max)
{
	z_stream zs = {0};

	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)text;
	zs.avail_in = (uInt)strlen(text);
	zs.next_out = dst;
	zs.avail_out = (uInt)max;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

static void test_source_plain(void **state)
{
	assert_int_equal(env_set("where", "disk"), 0);
	put_script(SCRIPT_GPA, "echo hello from $where\nif true; then\n  echo block\nfi\n",
		   UIMAGE_COMP_NONE);
	assert_int_equal(run("source 49000000"), 0);
	assert_out("## Executing script at 49000000\nhello from disk\nblock\n");
	/* Default address: $loadaddr; none set: the usage line. */
	assert_int_equal(env_set("loadaddr", "0x49000000"), 0);
	assert_int_equal(run("source"), 0);
	assert_out_has("block\n");
	assert_int_equal(env_set("loadaddr", NULL), 0);
	assert_int_equal(run("source"), CMD_RET_USAGE);
	assert_out("Usage: source [addr]\n");
	/* The script's status is source's: usable with && and ||. */
	put_script(SCRIPT_GPA, "echo a; false", UIMAGE_COMP_NONE);
	assert_int_equal(run("source 49000000 && echo yes || echo no"), 0);
	assert_out("## Executing script at 49000000\na\nno\n");
}

static void test_source_gzip(void **state)
{
	static const char text[] = "setenv from gzip\necho inflated $from\n";
	uint8_t gz[256];
	size_t n = gzip_text(text, gz, sizeof(gz));
	uint8_t payload[8 + 256];

	ub_put_be32(payload, (uint32_t)n);
	ub_put_be32(payload + 4, 0);
	memcpy(payload + 8, gz, n);
	size_t len =
	    ub_image(img, UIMAGE_TYPE_SCRIPT, UIMAGE_COMP_GZIP, "gz", payload, (uint32_t)(8 + n));
	memcpy(guest(SCRIPT_GPA), img, len);
	assert_int_equal(run("source 0x49000000"), 0);
	assert_out("## Executing script at 49000000\ninflated gzip\n");
	/* Corrupt deflate data with a valid image CRC: refused by gunzip. */
	payload[8 + n / 2] ^= 0xff;
	len = ub_image(img, UIMAGE_TYPE_SCRIPT, UIMAGE_COMP_GZIP, "gz", payload, (uint32_t)(8 + n));
	memcpy(guest(SCRIPT_GPA), img, len);
	assert_int_equal(run("source 0x49000000"), CMD_RET_FAILURE);
	assert_out_has("source: gzip script: ");
	assert_null(strstr(out(), "inflated"));
}

/* Each damaged image: one line after the banner, nothing runs, and the
 * shell goes on. */
static void check_refused(const char *line, const char *why)
{
	assert_int_equal(run(line), CMD_RET_FAILURE);
	assert_out_has(why);
	assert_null(strstr(out(), "RAN"));
	assert_int_equal(run("echo ok"), 0);
	assert_out("ok\n");
}

static void test_source_refused(void **state)
{
	size_t n = put_script(SCRIPT_GPA, "echo RAN", UIMAGE_COMP_NONE);

	guest(SCRIPT_GPA)[0] ^= 1;
	check_refused("source 49000000", "Wrong image format for \"source\" command\n");
	put_script(SCRIPT_GPA, "echo RAN", UIMAGE_COMP_NONE);
	guest(SCRIPT_GPA)[40] ^= 1; /* the name */
	check_refused("source 49000000", "source: bad header checksum\n");
	put_script(SCRIPT_GPA, "echo RAN", UIMAGE_COMP_NONE);
	guest(SCRIPT_GPA)[n - 1] ^= 1;
	check_refused("source 49000000", "source: bad data checksum\n");
	/* Not a script; an empty one; compression we do not have. */
	n = ub_image(img, UIMAGE_TYPE_RAMDISK, UIMAGE_COMP_NONE, "rd", "echo RAN", 8);
	memcpy(guest(SCRIPT_GPA), img, n);
	check_refused("source 49000000", "source: not a script image (type 3)\n");
	n = ub_image(img, UIMAGE_TYPE_SCRIPT, UIMAGE_COMP_NONE, "e", "\0\0\0\0", 4);
	memcpy(guest(SCRIPT_GPA), img, n);
	check_refused("source 49000000", "Empty Script\n");
	put_script(SCRIPT_GPA, "echo RAN", 2 /* bzip2 */);
	check_refused("source 49000000", "source: unsupported compression 2\n");
	/* Outside RAM; a header at the end of RAM claiming bytes past it. */
	check_refused("source 0x30000000", "not inside a RAM bank");
	n = ub_script(img, UIMAGE_COMP_NONE, "echo RAN", 8);
	ub_put_be32(img + 12, 0x1000);
	ub_fix_hcrc(img);
	memcpy(guest(RAM_END - 64), img, 64);
	check_refused("source 0x4fffffc0", "not inside a RAM bank");
	check_refused("source 0x4fffffe0", "not inside a RAM bank");
	assert_int_equal(run("source zz"), CMD_RET_USAGE);
}

/* The text is copied before it runs: loading over the image is harmless. */
static void test_source_loads_over_itself(void **state)
{
	put_script(SCRIPT_GPA,
		   "load blk 0:1 49000000 /hello.txt\necho still running\nexit\necho not this",
		   UIMAGE_COMP_NONE);
	assert_int_equal(run("source 49000000; echo after"), 0);
	assert_out_has("15 bytes read");
	assert_out_has("still running\nafter\n");
	assert_null(strstr(out(), "not this"));
	assert_memory_equal(guest(SCRIPT_GPA), "hello, xenboot\n", 15);
}

static void test_source_nesting(void **state)
{
	put_script(SCRIPT_GPA, "echo in; source 49000000", UIMAGE_COMP_NONE);
	assert_int_not_equal(run("source 49000000"), 0);
	assert_out_has("commands nested too deeply (at most 8)");
	assert_int_equal(run("echo ok"), 0);
}

/* A boot script in the dialect of the boot.scr Debian's flash-kernel makes
 * (our own text; the lab runs the real one): `test -n`/`-z`/`-e`, if/else
 * over several lines, a for list from a variable, `&&` chains of `load`
 * continued with backslashes, and booti's `${ramdisk_addr_r}:${filesize}`.
 * Its @@FIELDS@@ are filled as flash-kernel fills them; the boot command is
 * an echo (booti is not this test's). */
static const char dialect_script[] =
    "# generated boot script: do not edit\n"
    "if test -n \"${console}\"; then\n"
    "  setenv bootargs \"${bootargs} console=${console}\"\n"
    "fi\n"
    "setenv bootargs \"@@LINUX_KERNEL_CMDLINE_DEFAULTS@@ ${bootargs} @@LINUX_KERNEL_CMDLINE@@\"\n"
    "@@UBOOT_ENV_EXTRA@@\n"
    "if test -z \"${fk_kvers}\"; then\n"
    "   setenv fk_kvers '@@KERNEL_VERSION@@'\n"
    "fi\n"
    "if test -n \"${fdtfile}\"; then\n"
    "   setenv fdtpath dtbs/${fk_kvers}/${fdtfile}\n"
    "else\n"
    "   setenv fdtpath dtb-${fk_kvers}\n"
    "fi\n"
    "if test -z \"${distro_bootpart}\"; then\n"
    "  setenv partition ${bootpart}\n"
    "else\n"
    "  setenv partition ${distro_bootpart}\n"
    "fi\n"
    "if test -z \"${fk_image_locations}\"; then\n"
    "  setenv fk_image_locations ${prefix}\n"
    "fi\n"
    "for pathprefix in ${fk_image_locations}\n"
    "do\n"
    "  if test -e ${devtype} ${devnum}:${partition} ${pathprefix}vmlinuz-${fk_kvers}\n"
    "  then\n"
    "    load ${devtype} ${devnum}:${partition} ${kernel_addr_r} "
    "${pathprefix}vmlinuz-${fk_kvers} \\\n"
    "    && load ${devtype} ${devnum}:${partition} ${fdt_addr_r} ${pathprefix}${fdtpath} \\\n"
    "    && load ${devtype} ${devnum}:${partition} ${ramdisk_addr_r} "
    "${pathprefix}initrd.img-${fk_kvers} \\\n"
    "    && echo \"Booting Debian ${fk_kvers} from ${devtype} ${devnum}:${partition}...\" \\\n"
    "    && @@BOOT_CMD@@ ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdt_addr_r}\n"
    "  fi\n"
    "done\n";

static char *flash_kernel_script(void)
{
	static const char *const fields[][2] = {
	    {"@@LINUX_KERNEL_CMDLINE_DEFAULTS@@", ""},
	    {"@@LINUX_KERNEL_CMDLINE@@", "quiet"},
	    {"@@UBOOT_ENV_EXTRA@@", ""},
	    {"@@UBOOT_PREBOOT_EXTRA@@", ""},
	    {"@@KERNEL_VERSION@@", "6.1.0-13-arm64"},
	    {"@@BOOT_CMD@@", "echo BOOT_CMD"},
	};
	const char *raw = dialect_script;
	size_t size = sizeof(dialect_script) - 1;
	char *text = calloc(1, 2 * size + 1024);

	assert_non_null(text);
	for (size_t i = 0, o = 0; i < size;) {
		size_t f = 0;
		while (f < 6 && strncmp(raw + i, fields[f][0], strlen(fields[f][0]))) {
			f++;
		}
		if (f < 6) {
			o += (size_t)sprintf(text + o, "%s", fields[f][1]);
			i += strlen(fields[f][0]);
		} else {
			text[o++] = raw[i++];
		}
	}
	assert_null(strstr(text, "@@"));
	return text;
}

/* A file of @size pattern bytes written to the FAT partition. */
static void put_file(const char *path, size_t size, uint8_t seed)
{
	char line[256];

	for (size_t i = 0; i < size; i++) {
		guest(KERNEL_GPA)[i] = (uint8_t)(seed + i * 7);
	}
	snprintf(line, sizeof(line), "fatwrite blk 0:1 %llx %s %zx", (unsigned long long)KERNEL_GPA,
		 path, size);
	assert_int_equal(run(line), 0);
}

static void check_file(uint64_t gpa, size_t size, uint8_t seed)
{
	for (size_t i = 0; i < size; i++) {
		assert_int_equal(guest(gpa)[i], (uint8_t)(seed + i * 7));
	}
}

static void test_flash_kernel_dialect(void **state)
{
	char *text = flash_kernel_script();
	size_t n = ub_script(img, UIMAGE_COMP_NONE, text, (uint32_t)strlen(text));

	free(text);
	memcpy(guest(SCRIPT_GPA), img, n);
	char line[128];
	snprintf(line, sizeof(line), "fatwrite blk 0:1 49000000 /boot.scr %zx", n);
	assert_int_equal(run(line), 0);
	put_file("/vmlinuz-6.1.0-13-arm64", 0x3000, 1);
	put_file("/dtb-6.1.0-13-arm64", 0x123, 2);
	put_file("/initrd.img-6.1.0-13-arm64", 0xbb8, 3);
	/* U-Boot's names and a distro-boot style scan (our own wording). */
	static const char *const env[][2] = {
	    {"kernel_addr_r", "0x4a000000"},
	    {"fdt_addr_r", "0x4b000000"},
	    {"ramdisk_addr_r", "0x4c000000"},
	    {"scriptaddr", "0x49000000"},
	    {"bootargs", "root=/dev/xvda2 ro"},
	    {"boot_prefixes", "/ /boot/"},
	    {"boot_scripts", "boot.scr.uimg boot.scr"},
	    {"scan_scripts",
	     "for script in ${boot_scripts}; do "
	     "if test -e ${devtype} ${devnum}:${distro_bootpart} ${prefix}${script}; "
	     "then echo Found U-Boot script ${prefix}${script}; "
	     "load ${devtype} ${devnum}:${distro_bootpart} ${scriptaddr} "
	     "${prefix}${script} && source ${scriptaddr}; "
	     "echo SCRIPT FAILED: continuing...; fi; done"},
	    {"scan_dev", "for prefix in ${boot_prefixes}; do run scan_scripts; done"},
	};
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		assert_int_equal(env_set(env[i][0], env[i][1]), 0);
	}
	memset(guest(KERNEL_GPA), 0, 0x3000);
	assert_int_equal(run("devtype=blk; devnum=0; distro_bootpart=1; run scan_dev"), 0);
	assert_out_has("Found U-Boot script /boot.scr\n");
	assert_out_has("## Executing script at 49000000\n");
	assert_out_has("Booting Debian 6.1.0-13-arm64 from blk 0:1...\n"
		       "BOOT_CMD 0x4a000000 0x4c000000:bb8 0x4b000000\n"
		       "SCRIPT FAILED: continuing...\n");
	assert_null(strstr(out(), "syntax error"));
	assert_null(strstr(out(), "Unknown command"));
	check_file(KERNEL_GPA, 0x3000, 1);
	check_file(FDT_GPA, 0x123, 2);
	check_file(INITRD_GPA, 0xbb8, 3);
	assert_string_equal(env_get("bootargs"), " root=/dev/xvda2 ro quiet");
	assert_string_equal(env_get("fk_kvers"), "6.1.0-13-arm64");
	assert_string_equal(env_get("fdtpath"), "dtb-6.1.0-13-arm64");
	assert_string_equal(env_get("partition"), "1");
	assert_string_equal(env_get("fk_image_locations"), "/");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_source_plain),   cmocka_unit_test(test_source_gzip),
	    cmocka_unit_test(test_source_refused), cmocka_unit_test(test_source_loads_over_itself),
	    cmocka_unit_test(test_source_nesting), cmocka_unit_test(test_flash_kernel_dialect),
	};

	img_init(argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
