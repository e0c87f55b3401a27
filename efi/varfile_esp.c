/* The two copies of the UEFI variable file on the ESP
 * (include/efi/varfile.h): which one loading takes, and the save order. */
#define LOG_PREFIX "efivars: "
#include <boot/esp.h>
#include <efi/varfile.h>
#include <efi/varstore.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

static const char *const file_names[2] = {VARFILE_NAME, VARFILE_NAME_REDUND};

/* What one file holds; its bytes are in copy_buf[]. */
struct copy_state {
	bool exists;
	uint64_t size;
	struct varfile_info info;
};

/* Static: 2 x 32 KiB are too big for the stack. */
static uint8_t copy_buf[2][VARFILE_SIZE];

/* Read and validate file @i. Only an I/O error is returned; a missing, bad
 * or too large copy is recorded in @st. */
static int read_copy(struct fs *fs, unsigned int i, struct copy_state *st)
{
	size_t actual;
	int rc;

	memset(st, 0, sizeof(*st));
	st->info.err = -ENOENT;
	rc = esp_read_copy(fs, file_names[i], copy_buf[i], VARFILE_SIZE, &st->size, &actual);
	if (rc == -ENOENT) {
		return 0;
	}
	st->exists = true;
	/* Not ours, and more than we can hold: it must not be overwritten. */
	if (rc == -E2BIG) {
		st->info.err = -E2BIG;
		return 0;
	}
	if (rc) {
		return rc;
	}
	/* The verdict goes to st->info: a bad copy is not an I/O error. */
	if (varfile_validate(copy_buf[i], actual, &st->info)) {
		log_debug("%s: error %s\n", file_names[i], errno_name(st->info.err));
	}
	return 0;
}

static int read_copies(struct fs *fs, struct copy_state st[2])
{
	for (unsigned int i = 0; i < 2; i++) {
		int rc = read_copy(fs, i, &st[i]);

		if (rc) {
			log_notice("cannot read %s: %s\n", file_names[i], errno_name(rc));
			return rc;
		}
	}
	return 0;
}

int varfile_load_fs(void *store, struct fs *fs)
{
	struct copy_state st[2];
	int pick, rc;

	rc = read_copies(fs, st);
	if (rc) {
		return rc;
	}
	if (!st[0].exists && !st[1].exists) {
		return -ENOENT;
	}
	/* Which copy is newer cannot be known: load neither, save neither. */
	for (unsigned int i = 0; i < 2; i++) {
		if (st[i].info.err == -E2BIG) {
			log_warn("%s is larger than 0x%x bytes: variables not loaded\n",
				 file_names[i], VARFILE_SIZE);
			return -E2BIG;
		}
	}
	pick = varfile_newest(&st[0].info, &st[1].info);
	if (pick < 0) {
		log_warn("no valid variable file (%s: %s, %s: %s)\n", file_names[0],
			 errno_name(st[0].info.err), file_names[1], errno_name(st[1].info.err));
		return st[0].exists ? st[0].info.err : st[1].info.err;
	}
	rc = varfile_apply(store, copy_buf[pick], VARFILE_SIZE, &st[pick].info);
	if (rc) {
		log_warn("%s: %s, variables not loaded\n", file_names[pick], errno_name(rc));
		return rc;
	}
	log_debug("%s: %u variables, %u skipped\n", file_names[pick], st[pick].info.kept,
		  st[pick].info.skipped);
	return 0;
}

/* The newest generation either copy carries (0 when neither has one). */
static uint32_t last_generation(const struct copy_state st[2])
{
	uint32_t g = 0;

	for (unsigned int i = 0; i < 2; i++) {
		const struct varfile_info *in = &st[i].info;

		if (in->is_valid && in->has_tail && (int32_t)(in->generation - g) > 0) {
			g = in->generation;
		}
	}
	return g;
}

int varfile_save_fs(const void *store, struct fs *fs)
{
	struct copy_state st[2];
	unsigned int target;
	uint32_t generation;
	size_t length;
	int rc;

	rc = read_copies(fs, st);
	if (rc) {
		return rc;
	}
	/* The copy that does not hold the newest variables goes first. */
	target = varfile_newest(&st[0].info, &st[1].info) == 0 ? 1 : 0;
	generation = last_generation(st);
	for (unsigned int n = 0; n < 2; n++, target ^= 1) {
		uint8_t *buf = copy_buf[target];

		memset(buf, 0, VARFILE_SIZE);
		rc = varfile_export(store, buf, VARFILE_SIZE - VARFILE_TAIL_SIZE, &length);
		if (rc) {
			return -ENOSPC; /* cannot happen: the store's NV limit fits */
		}
		varfile_seal(buf, VARFILE_SIZE, ++generation);
		rc = esp_write_copy(fs, file_names[target],
				    st[target].exists && st[target].size == VARFILE_SIZE, buf,
				    VARFILE_SIZE);
		if (rc) {
			log_notice("cannot write %s: %s\n", file_names[target], errno_name(rc));
			return rc;
		}
	}
	return 0;
}

int varfile_load(void *store)
{
	struct fs *fs;
	int rc = esp_mount(&fs);

	return rc ? rc : varfile_load_fs(store, fs);
}

int varfile_save(const void *store)
{
	struct fs *fs;
	int rc = esp_mount(&fs);

	return rc ? rc : varfile_save_fs(store, fs);
}
