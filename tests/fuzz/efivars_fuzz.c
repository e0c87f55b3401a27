/* The UEFI variable file (efi/varfile.c) and store (efi/varstore.c) from
 * hostile bytes. The first input byte picks the mode:
 *
 *  - bit 2 clear: the rest is a variable file image; bit 0 re-seals its
 *    CRC (so the fuzzer gets into the entries), bit 1 adds our tail. A
 *    refused image must leave the store alone; an accepted one loads whole
 *    or not at all (-ENOSPC), and what loaded exports to an image that
 *    validates and loads again to the same bytes.
 *  - bit 2 set: the rest is a script of store operations (5-byte ops plus
 *    names and data taken from the input, unterminated names included);
 *    after each, the store's invariants hold (enumeration ends, every name
 *    it gives can be read, the non-volatile part fits the file). */
#include "fuzz.h"
#include <efi/varfile.h>
#include <efi/varstore.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <string.h>

#define STORE_SIZE 0x4000

static uint64_t store_mem[STORE_SIZE / 8], again_mem[STORE_SIZE / 8];
static uint8_t img[VARFILE_SIZE], out[VARFILE_SIZE], out2[VARFILE_SIZE];

static void reseal(uint8_t *buf, size_t n)
{
	uint32_t length, crc;

	if (n < VARFILE_HDR_SIZE) {
		return;
	}
	memcpy(&length, buf + 16, 4);
	if (length < VARFILE_HDR_SIZE || length > n) {
		length = (uint32_t)n;
		memcpy(buf + 16, &length, 4);
	}
	crc = crc32_update(0, buf + VARFILE_HDR_SIZE, length - VARFILE_HDR_SIZE);
	memcpy(buf + 20, &crc, 4);
}

static void fuzz_file(uint8_t mode, const uint8_t *data, size_t size)
{
	size_t n = size < sizeof(img) ? size : sizeof(img), len, len2;
	struct varfile_info in;
	int rc;

	memset(img, 0, sizeof(img));
	memcpy(img, data, n);
	if (mode & 1) {
		reseal(img, n);
	}
	if (mode & 2) {
		n = VARFILE_SIZE;
		varfile_seal(img, n, 7);
	}
	fuzz_check(varstore_init(store_mem, STORE_SIZE, STORE_SIZE / 2) == 0);
	rc = varfile_validate(img, n, &in);
	fuzz_check(rc == in.err && (rc == 0) == in.is_valid);
	rc = varfile_apply(store_mem, img, n, &in);
	if (!in.is_valid || rc == -ENOSPC) {
		fuzz_check(in.is_valid ? rc == -ENOSPC : rc == -EINVAL);
		fuzz_check(varstore_nv_used(store_mem) == 0);
		return;
	}
	fuzz_check(rc == 0 && varstore_nv_used(store_mem) <= in.nv_bytes);
	fuzz_check(varfile_export(store_mem, out, sizeof(out), &len) == 0);
	fuzz_check(varfile_validate(out, len, &in) == 0 && in.skipped == 0 && !in.has_tail);
	fuzz_check(varstore_init(again_mem, STORE_SIZE, STORE_SIZE / 2) == 0);
	fuzz_check(varfile_apply(again_mem, out, len, &in) == 0);
	fuzz_check(varfile_export(again_mem, out2, sizeof(out2), &len2) == 0);
	fuzz_check(len2 == len && memcmp(out, out2, len) == 0);
}

/* Every name the enumeration gives can be read, and it ends. */
static void check_store(void)
{
	uint8_t name[VARSTORE_NAME_MAX], guid[16] = {0}, data[64];
	unsigned int count = 0;
	size_t size;
	int rc;

	memset(name, 0, 2);
	for (;;) {
		size = sizeof(name);
		rc = varstore_next(store_mem, name, &size, guid);
		if (rc) {
			fuzz_check(rc == -ENOENT);
			break;
		}
		fuzz_check(size >= 4 && size <= sizeof(name));
		fuzz_check(++count <= STORE_SIZE / VARSTORE_ENTRY_HDR);
		size = sizeof(data);
		rc = varstore_get(store_mem, name, guid, NULL, data, &size);
		fuzz_check(rc == 0 || rc == -EOVERFLOW);
	}
	fuzz_check(varstore_nv_used(store_mem) <= STORE_SIZE / 2);
}

/* One op: u8 kind, u8 name length, u8 attributes (bit 7: append), u8 data
 * length, u8 GUID pick; the name and data bytes follow. */
static size_t run_op(const uint8_t *p, size_t left)
{
	static const uint8_t guids[2][16] = {{1}, {2}};
	uint8_t name[300], buf[256];
	uint64_t a, b, c;
	size_t name_len, data_len, size;
	uint32_t attr;

	if (left < 5) {
		return left;
	}
	name_len = p[1];
	data_len = p[3];
	if (left < 5 + name_len + data_len) {
		return left;
	}
	memset(name, 0, sizeof(name));
	memcpy(name, p + 5, name_len);
	attr = (p[2] & 0x7f) | (p[2] & 0x80 ? EFI_VARIABLE_APPEND_WRITE : 0);
	switch (p[0] % 5) {
	case 0:
		(void)varstore_set(store_mem, name, guids[p[4] & 1], attr, p + 5 + name_len,
				   data_len, p[4] & 2 ? VARSTORE_FIRMWARE : 0);
		break;
	case 1:
		size = p[4];
		(void)varstore_get(store_mem, name, guids[p[4] & 1], NULL, buf, &size);
		break;
	case 2:
		size = name_len; /* the name may lack its NUL within the size */
		(void)varstore_next(store_mem, name, &size, buf);
		break;
	case 3:
		(void)varstore_query(store_mem, attr, &a, &b, &c);
		break;
	default:
		if (p[4] == 0x5a) {
			varstore_exit_boot_services(store_mem);
		}
		break;
	}
	return 5 + name_len + data_len;
}

static void fuzz_ops(const uint8_t *data, size_t size)
{
	fuzz_check(varstore_init(store_mem, STORE_SIZE, STORE_SIZE / 2) == 0);
	while (size) {
		size_t used = run_op(data, size);

		data += used;
		size -= used;
		check_store();
	}
}

static void fuzz_efivars(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return;
	}
	if (data[0] & 4) {
		fuzz_ops(data + 1, size - 1);
	} else {
		fuzz_file(data[0], data + 1, size - 1);
	}
}

FUZZ_TARGET(fuzz_efivars)
