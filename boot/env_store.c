/* The saved environment on the boot disk's FAT partition
 * (include/boot/env_store.h). */
#define LOG_PREFIX ""
#include <arch/arch.h>
#include <boot/env_default.h>
#include <boot/env_format.h>
#include <boot/env_store.h>
#include <boot/esp.h>
#include <lib/dtinfo.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

static const char *const env_files[2] = {ENV_STORE_FILE, ENV_STORE_FILE_REDUND};

/* What one file holds; its bytes are in copy_buf[]. */
struct copy_state {
	bool exists;
	uint64_t size;
	struct env_copy c;
};

/* Static: 2 x 16 KiB are too big for the stack. */
static uint8_t copy_buf[2][ENV_STORE_SIZE];

/* Read and validate file @i. Only an I/O error is returned; a missing,
 * odd-sized or corrupt file is recorded in @st. */
static int read_copy(struct fs *fs, unsigned int i, struct copy_state *st)
{
	size_t actual;
	int rc;

	memset(st, 0, sizeof(*st));
	st->c.err = -ENOENT;
	rc = esp_read_copy(fs, env_files[i], copy_buf[i], ENV_STORE_SIZE, &st->size, &actual);
	if (rc == -ENOENT) {
		return 0;
	}
	st->exists = true;
	if (rc == -E2BIG || (!rc && st->size != ENV_STORE_SIZE)) {
		st->c.err = -EFBIG;
		return 0;
	}
	if (rc) {
		return rc;
	}
	if (actual != ENV_STORE_SIZE) {
		st->c.err = -EIO;
		return 0;
	}
	/* The verdict goes to st->c: a bad copy is not an I/O error. */
	if (env_format_validate(copy_buf[i], ENV_STORE_SIZE, &st->c)) {
		log_debug("%s: %s\n", env_files[i], env_format_error(st->c.err));
	}
	return 0;
}

static int read_copies(struct fs *fs, struct copy_state st[2])
{
	for (unsigned int i = 0; i < 2; i++) {
		int rc = read_copy(fs, i, &st[i]);

		if (rc) {
			xb_printf("env: cannot read %s: %s\n", env_files[i], errno_name(rc));
			return rc;
		}
	}
	return 0;
}

/* "<file>: <why>" for a copy that cannot be used. */
static void describe(char *out, size_t size, unsigned int i, const struct copy_state *st)
{
	if (!st->exists) {
		xb_snprintf(out, size, "%s: missing", env_files[i]);
	} else if (st->c.err == -EFBIG) {
		xb_snprintf(out, size, "%s: size 0x%llx, not 0x%x", env_files[i],
			    (unsigned long long)st->size, ENV_STORE_SIZE);
	} else if (st->c.err == -EILSEQ || st->c.err == -EIO) {
		xb_snprintf(out, size, "%s: %s", env_files[i],
			    st->c.err == -EIO ? "short read" : "bad CRC");
	} else {
		xb_snprintf(out, size, "%s: %s at offset 0x%llx", env_files[i],
			    env_format_error(st->c.err), (unsigned long long)st->c.bad_at);
	}
}

/* Variables that describe this boot, not a saved choice (U-Boot sets
 * fdtcontroladdr after loading its environment too). */
static void set_runtime_vars(void)
{
	const struct dtinfo *dt = dtinfo_get();

	if (dt && dt->fdt && env_set_u64("fdtcontroladdr", arch_virt_to_phys(dt->fdt))) {
		log_warn("cannot set fdtcontroladdr\n");
	}
}

int env_store_load_fs(struct fs *fs)
{
	struct copy_state st[2];
	char why[2][96];
	int pick, rc;

	rc = read_copies(fs, st);
	if (rc) {
		return rc;
	}
	if (!st[0].exists && !st[1].exists) {
		return -ENOENT;
	}
	pick = env_format_newest(&st[0].c, &st[1].c);
	if (pick < 0) {
		describe(why[0], sizeof(why[0]), 0, &st[0]);
		describe(why[1], sizeof(why[1]), 1, &st[1]);
		log_warn("saved environment unusable (%s; %s), using default environment\n", why[0],
			 why[1]);
		return st[0].exists ? st[0].c.err : st[1].c.err;
	}
	rc = env_format_apply(copy_buf[pick], ENV_STORE_SIZE, &st[pick].c);
	if (rc) {
		env_clear();
		log_warn("cannot apply %s (%s), using default environment\n", env_files[pick],
			 errno_name(rc));
		if (env_set_defaults()) {
			log_warn("default environment incomplete\n");
		}
		return rc;
	}
	set_runtime_vars();
	return 0;
}

int env_store_save_fs(struct fs *fs)
{
	struct copy_state st[2];
	unsigned int target;
	uint8_t flags;
	int newest, rc;

	rc = read_copies(fs, st);
	if (rc) {
		return rc;
	}
	/* The copy that does not hold the newest environment is rewritten. */
	newest = env_format_newest(&st[0].c, &st[1].c);
	target = newest == 0 ? 1 : 0;
	flags = (uint8_t)(newest >= 0 ? st[newest].c.flags + 1 : 1); /* 255 wraps to 0 */
	for (unsigned int n = 0; n < 2; n++) {
		rc = env_format_export(copy_buf[target], ENV_STORE_SIZE, flags);
		if (rc == 0) {
			rc = esp_write_copy(fs, env_files[target],
					    st[target].exists && st[target].size == ENV_STORE_SIZE,
					    copy_buf[target], ENV_STORE_SIZE);
		}
		target ^= 1;
		flags++;
		if (rc || st[target].exists) {
			break;
		}
	}
	return rc;
}

int env_store_load(void)
{
	struct fs *fs;
	int rc = esp_mount(&fs);

	return rc ? rc : env_store_load_fs(fs);
}

int env_store_save(void)
{
	struct blk_dev *d = esp_boot_disk();
	struct fs *fs;
	int rc;

	xb_printf("Saving Environment to FAT... ");
	if (!d) {
		xb_printf("failed: no boot disk\n");
		return -ENODEV;
	}
	rc = esp_mount_disk(d, &fs);
	if (rc) {
		xb_printf("failed: %s has no FAT partition\n", d->name);
		return rc;
	}
	rc = env_store_save_fs(fs);
	if (rc == -ENOSPC) {
		xb_printf("failed: the environment is larger than 0x%x bytes\n", ENV_STORE_SIZE);
	} else if (rc) {
		xb_printf("failed: %s\n", errno_name(rc));
	} else {
		xb_printf("OK\n");
	}
	return rc;
}
