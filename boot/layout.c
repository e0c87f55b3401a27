/*
 * Free-space arithmetic over guest RAM for the boot code: which ranges are
 * RAM (the DT's banks) and which are taken (xenboot, the DTB, lost pages,
 * the pieces of the OS being placed). No memory is touched here.
 */
#include <boot/image.h>
#include <lib/errno.h>

int layout_add_busy(struct boot_layout *l, uint64_t base, uint64_t size)
{
	uint64_t end;

	if (!size || __builtin_add_overflow(base, size, &end)) {
		return -EINVAL;
	}
	if (l->busy_count == LAYOUT_MAX_BUSY) {
		return -ENOSPC;
	}
	l->busy[l->busy_count++] = (struct mem_range){base, size};
	return 0;
}

static bool overlaps(uint64_t a, uint64_t a_len, const struct mem_range *r)
{
	return a < r->base + r->size && r->base < a + a_len;
}

/* The first busy region over [a, a+len), or NULL. */
static const struct mem_range *first_busy(const struct boot_layout *l, uint64_t a, uint64_t len)
{
	for (unsigned int i = 0; i < l->busy_count; i++) {
		if (overlaps(a, len, &l->busy[i])) {
			return &l->busy[i];
		}
	}
	return NULL;
}

bool layout_is_free(const struct boot_layout *l, uint64_t base, uint64_t size)
{
	return size && size <= mem_range_room(l->banks, l->bank_count, base) &&
	       !first_busy(l, base, size);
}

/* The first a >= @from with (a - @offset) a multiple of @align; false on overflow. */
static bool next_slot(uint64_t from, uint64_t align, uint64_t offset, uint64_t *a)
{
	uint64_t rel;

	if (from <= offset) {
		*a = offset;
		return true;
	}
	if (__builtin_add_overflow(from - offset, align - 1, &rel)) {
		return false;
	}
	return !__builtin_add_overflow(ALIGN_DOWN(rel, align), offset, a);
}

/*
 * The lowest slot in [start, end) of one bank. Each collision moves past
 * the end of a busy region, and a moves only up, so no region is hit twice:
 * at most busy_count + 1 rounds.
 */
static bool find_in(const struct boot_layout *l, uint64_t start, uint64_t end, uint64_t align,
		    uint64_t offset, uint64_t size, uint64_t *out)
{
	uint64_t a, a_end;

	if (!next_slot(start, align, offset, &a)) {
		return false;
	}
	for (unsigned int round = 0; round <= l->busy_count; round++) {
		if (__builtin_add_overflow(a, size, &a_end) || a_end > end) {
			return false;
		}
		const struct mem_range *hit = first_busy(l, a, size);
		if (!hit) {
			*out = a;
			return true;
		}
		if (!next_slot(hit->base + hit->size, align, offset, &a)) {
			return false;
		}
	}
	return false;
}

int layout_find(const struct boot_layout *l, uint64_t lo, uint64_t hi, uint64_t align,
		uint64_t offset, uint64_t size, uint64_t *out)
{
	bool found = false;
	uint64_t best = 0, a;

	if (!size || !align || (align & (align - 1))) {
		return -EINVAL;
	}
	for (unsigned int i = 0; i < l->bank_count; i++) {
		const struct mem_range *b = &l->banks[i];
		uint64_t b_end = b->base + b->size < b->base ? UINT64_MAX : b->base + b->size;

		if (find_in(l, MAX(lo, b->base), MIN(hi, b_end), align, offset, size, &a) &&
		    (!found || a < best)) {
			best = a;
			found = true;
		}
	}
	if (!found) {
		return -ENOSPC;
	}
	*out = best;
	return 0;
}
