/* The non-volatile UEFI variables on the ESP (include/efi/varfile.h).
 * varfile_export() runs at runtime too: it must not print or allocate. */
#include <efi/varfile.h>
#include <efi/varstore.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <lib/le.h>
#include <string.h>

#define KEPT_ATTR (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)

static const uint8_t file_magic[7] = {'U', 'b', 'E', 'f', 'i', 'V', 'a'};
static const uint8_t tail_magic[4] = {'X', 'B', 'v', 'g'};

struct vf_hdr {
	le64 reserved;
	uint8_t magic[7];
	uint8_t revision;
	le32 length;
	le32 crc32;
};
static_assert(sizeof(struct vf_hdr) == VARFILE_HDR_SIZE, "EBBR EFI_VARIABLE_FILE");

struct vf_tail {
	uint8_t magic[4];
	le32 generation;
	le32 length;
	le32 crc32;
};
static_assert(sizeof(struct vf_tail) == VARFILE_TAIL_SIZE, "varfile tail");

static uint32_t load_le32(const uint8_t *p)
{
	le32 v;

	memcpy(&v, p, sizeof(v));
	return get_le32(&v);
}

/* Whether the entry with @attr, @name_size and @data_size is one we keep:
 * a plain non-volatile variable, as SetVariable would accept it. */
static bool is_kept(uint32_t attr, size_t name_size, size_t data_size)
{
	return (attr == KEPT_ATTR || attr == (KEPT_ATTR | EFI_VARIABLE_RUNTIME_ACCESS)) &&
	       name_size >= 4 && data_size > 0;
}

/* Walk the entries of @buf[VARFILE_HDR_SIZE..@length): check them, count
 * them in @out, and when @store is given add the kept ones to it. */
static int walk(const uint8_t *buf, size_t length, void *store, struct varfile_info *out)
{
	size_t off = VARFILE_HDR_SIZE;

	while (off < length) {
		size_t left = length - off, name_size, data_size, end;
		uint32_t attr;
		const uint8_t *e = buf + off;

		if (left < VARSTORE_ENTRY_HDR) {
			return -EBADMSG;
		}
		data_size = load_le32(e);
		attr = load_le32(e + 4);
		name_size =
		    varstore_name_size(e + VARSTORE_ENTRY_HDR,
				       MIN(left - VARSTORE_ENTRY_HDR, (size_t)VARSTORE_NAME_MAX));
		if (name_size == 0 || data_size > left - VARSTORE_ENTRY_HDR - name_size) {
			return -EBADMSG;
		}
		end = VARSTORE_ENTRY_HDR + name_size + data_size;
		if (!is_kept(attr, name_size, data_size)) {
			out->skipped++;
		} else if (store) {
			int rc = varstore_set(store, e + VARSTORE_ENTRY_HDR, e + 16, attr,
					      e + VARSTORE_ENTRY_HDR + name_size, data_size,
					      VARSTORE_FIRMWARE);
			if (rc) {
				return rc;
			}
		} else {
			out->kept++;
			out->nv_bytes += ALIGN_UP(end, (size_t)8);
		}
		/* EBBR pads every entry; tolerate a last one without padding. */
		off += MIN(ALIGN_UP(end, (size_t)8), left);
	}
	return 0;
}

/* The tail at the end of @buf, if it is ours and matches @h. */
static void read_tail(const uint8_t *buf, size_t size, const struct vf_hdr *h,
		      struct varfile_info *out)
{
	struct vf_tail t;

	if (size < (size_t)out->length + VARFILE_TAIL_SIZE) {
		return;
	}
	memcpy(&t, buf + size - VARFILE_TAIL_SIZE, sizeof(t));
	if (memcmp(t.magic, tail_magic, sizeof(t.magic)) == 0 &&
	    get_le32(&t.length) == out->length && get_le32(&t.crc32) == get_le32(&h->crc32)) {
		out->has_tail = true;
		out->generation = get_le32(&t.generation);
	}
}

static int check(const uint8_t *buf, size_t size, struct varfile_info *out)
{
	struct vf_hdr h;

	if (size < VARFILE_HDR_SIZE) {
		return -EINVAL;
	}
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, file_magic, sizeof(file_magic)) != 0 || h.revision != 1) {
		return -EINVAL;
	}
	out->length = get_le32(&h.length);
	if (out->length < VARFILE_HDR_SIZE || out->length > size) {
		return -EFBIG;
	}
	if (crc32_update(0, buf + VARFILE_HDR_SIZE, out->length - VARFILE_HDR_SIZE) !=
	    get_le32(&h.crc32)) {
		return -EILSEQ;
	}
	read_tail(buf, size, &h, out);
	return walk(buf, out->length, NULL, out);
}

int varfile_validate(const uint8_t *buf, size_t size, struct varfile_info *out)
{
	memset(out, 0, sizeof(*out));
	out->err = check(buf, size, out);
	out->is_valid = out->err == 0;
	return out->err;
}

int varfile_apply(void *store, const uint8_t *buf, size_t size, const struct varfile_info *info)
{
	struct varfile_info scratch;
	uint64_t max, left, max_size;
	int rc;

	if (!info->is_valid || info->length > size) {
		return -EINVAL;
	}
	rc = varstore_query(store, KEPT_ATTR, &max, &left, &max_size);
	if (rc) {
		return rc;
	}
	/* Checked first, so a file too big for us changes nothing. */
	if (info->nv_bytes > left) {
		return -ENOSPC;
	}
	memset(&scratch, 0, sizeof(scratch));
	return walk(buf, info->length, store, &scratch);
}

int varfile_export(const void *store, void *buf, size_t size, size_t *length)
{
	size_t need = VARFILE_HDR_SIZE + varstore_nv_used(store), pos = 0, len, off;
	const uint8_t *entry;
	uint8_t *out = buf;
	struct vf_hdr h;
	uint32_t attr;

	*length = need;
	if (size < need) {
		return -EOVERFLOW;
	}
	off = VARFILE_HDR_SIZE;
	while (varstore_iter(store, &pos, &entry, &len, &attr) == 0) {
		if (attr & EFI_VARIABLE_NON_VOLATILE) {
			memcpy(out + off, entry, len);
			off += len;
		}
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, file_magic, sizeof(h.magic));
	h.revision = 1;
	put_le32(&h.length, (uint32_t)need);
	put_le32(&h.crc32, crc32_update(0, out + VARFILE_HDR_SIZE, need - VARFILE_HDR_SIZE));
	memcpy(out, &h, sizeof(h));
	return 0;
}

void varfile_seal(uint8_t *buf, size_t size, uint32_t generation)
{
	struct vf_tail t;
	struct vf_hdr h;

	memcpy(&h, buf, sizeof(h));
	memcpy(t.magic, tail_magic, sizeof(t.magic));
	put_le32(&t.generation, generation);
	t.length = h.length;
	t.crc32 = h.crc32;
	memcpy(buf + size - VARFILE_TAIL_SIZE, &t, sizeof(t));
}

int varfile_newest(const struct varfile_info *a, const struct varfile_info *b)
{
	if (!a->is_valid || !b->is_valid) {
		return a->is_valid ? 0 : b->is_valid ? 1 : -ENOENT;
	}
	/* Written by someone else after our last save: the newest. */
	if (!a->has_tail || !b->has_tail) {
		return a->has_tail ? 1 : 0;
	}
	/* Serial number arithmetic: the generation wraps. */
	return (int32_t)(b->generation - a->generation) > 0 ? 1 : 0;
}
