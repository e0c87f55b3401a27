/*
 * Guest RAM's regions, the page allocator and the memory map
 * (include/lib/memmap.h). Everything is a linear scan of at most
 * MEMMAP_MAX regions: the map changes a few hundred times per boot.
 *
 * Allocation and the map see a region as the whole pages it touches; the
 * banks as the whole pages inside them. memmap_check() stays byte-exact.
 */
#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <stddef.h>
#include <string.h>

struct memmap {
	struct memmap_region regions[MEMMAP_MAX];
	unsigned int count;
	uint64_t key; /* bumped by every change */
};

static struct memmap *mm(void)
{
	static struct memmap the_map;

	return &the_map;
}

/* The first page of @r and the end of its last page (capped at 2^64 - 1). */
static uint64_t page_lo(const struct memmap_region *r)
{
	return ALIGN_DOWN(r->base, PAGE_SIZE);
}

static uint64_t page_hi(const struct memmap_region *r)
{
	uint64_t end = r->base + r->size; /* memmap_add() refused wrapping */

	return end > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE) ? UINT64_MAX : ALIGN_UP(end, PAGE_SIZE);
}

/* The first region with a page in [a, end), or NULL. */
static const struct memmap_region *first_hit(uint64_t a, uint64_t end)
{
	const struct memmap *m = mm();

	for (unsigned int i = 0; i < m->count; i++) {
		if (a < page_hi(&m->regions[i]) && page_lo(&m->regions[i]) < end) {
			return &m->regions[i];
		}
	}
	return NULL;
}

/* The whole pages of each bank as [base, base+size); empty ones left out. */
static unsigned int page_banks(struct mem_range out[DTINFO_MAX_BANKS])
{
	const struct dtinfo *dt = dtinfo_get();
	unsigned int n = 0;

	for (unsigned int i = 0; dt && i < dt->bank_count && i < DTINFO_MAX_BANKS; i++) {
		uint64_t base = dt->banks[i].base, end = base + dt->banks[i].size;

		if (end < base) {
			end = UINT64_MAX;
		}
		if (base > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE)) {
			continue;
		}
		base = ALIGN_UP(base, PAGE_SIZE);
		end = ALIGN_DOWN(end, PAGE_SIZE);
		if (end > base) {
			out[n++] = (struct mem_range){base, end - base};
		}
	}
	return n;
}

static int add_region(uint64_t base, uint64_t size, enum memmap_kind kind, uint32_t tag)
{
	struct memmap *m = mm();

	if (m->count == MEMMAP_MAX) {
		return -ENOSPC;
	}
	m->regions[m->count++] = (struct memmap_region){base, size, kind, tag};
	m->key++;
	return 0;
}

int memmap_add(uint64_t base, uint64_t size, enum memmap_kind kind)
{
	struct memmap *m = mm();

	if (size == 0 || base + size < base || kind <= MEMMAP_ALLOC || kind > MEMMAP_LOST) {
		return -EINVAL;
	}
	/* Lost pages come one by one: grow a touching region instead of
	 * filling the table with neighbours. */
	for (unsigned int i = 0; kind == MEMMAP_LOST && i < m->count; i++) {
		struct memmap_region *r = &m->regions[i];
		if (r->kind == kind && base <= r->base + r->size && r->base <= base + size) {
			uint64_t end = MAX(r->base + r->size, base + size);
			r->base = MIN(r->base, base);
			r->size = end - r->base;
			m->key++;
			return 0;
		}
	}
	return add_region(base, size, kind, 0);
}

int memmap_check(uint64_t addr, uint64_t len, struct memmap_region *hit)
{
	const struct memmap *m = mm();

	if (len == 0) {
		return 0;
	}
	/* dtinfo_is_ram() also rules out addr + len wrapping. */
	if (!dtinfo_is_ram(dtinfo_get(), addr, len)) {
		return -EFAULT;
	}
	for (unsigned int i = 0; i < m->count; i++) {
		const struct memmap_region *r = &m->regions[i];

		if (addr < r->base + r->size && r->base < addr + len) {
			if (hit) {
				*hit = *r;
			}
			return -EBUSY;
		}
	}
	return 0;
}

/* An allocation: grows a touching one of the same tag, else a new entry. */
static int record(uint64_t a, uint64_t size, uint32_t tag)
{
	struct memmap *m = mm();

	for (unsigned int i = 0; i < m->count; i++) {
		struct memmap_region *r = &m->regions[i];

		if (r->kind != MEMMAP_ALLOC || r->tag != tag) {
			continue;
		}
		if (r->base + r->size == a || a + size == r->base) {
			r->base = MIN(r->base, a);
			r->size += size;
			m->key++;
			return 0;
		}
	}
	return add_region(a, size, MEMMAP_ALLOC, tag);
}

/*
 * The lowest (highest) aligned free place of @size in [lo, hi). Each
 * collision moves past the region hit, never to come back to it: at most
 * count + 1 rounds.
 */
static bool fit_up(uint64_t lo, uint64_t hi, uint64_t size, uint64_t align, uint64_t *out)
{
	uint64_t a = lo;

	for (unsigned int round = 0; round <= mm()->count; round++) {
		if (a > UINT64_MAX - (align - 1)) {
			return false;
		}
		a = ALIGN_UP(a, align);
		if (a >= hi || hi - a < size) {
			return false;
		}
		const struct memmap_region *r = first_hit(a, a + size);
		if (!r) {
			*out = a;
			return true;
		}
		a = page_hi(r);
	}
	return false;
}

static bool fit_down(uint64_t lo, uint64_t hi, uint64_t size, uint64_t align, uint64_t *out)
{
	uint64_t top = hi;

	for (unsigned int round = 0; round <= mm()->count; round++) {
		if (top < lo || top - lo < size) {
			return false;
		}
		uint64_t a = ALIGN_DOWN(top - size, align);
		if (a < lo) {
			return false;
		}
		const struct memmap_region *r = first_hit(a, a + size);
		if (!r) {
			*out = a;
			return true;
		}
		top = page_lo(r);
	}
	return false;
}

int memmap_alloc(uint64_t *addr, uint64_t size, uint64_t align, uint64_t lo, uint64_t hi,
		 bool top_down, uint32_t tag)
{
	struct mem_range banks[DTINFO_MAX_BANKS];
	unsigned int n = page_banks(banks);
	uint64_t best = 0, a;
	bool found = false;

	if (size == 0 || size > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE) || (align & (align - 1))) {
		return -EINVAL;
	}
	size = ALIGN_UP(size, PAGE_SIZE);
	align = MAX(align, PAGE_SIZE);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t b_lo = MAX(lo, banks[i].base);
		uint64_t b_hi = MIN(hi, banks[i].base + banks[i].size);

		if (b_lo >= b_hi) {
			continue;
		}
		if (top_down ? fit_down(b_lo, b_hi, size, align, &a) && (!found || a > best)
			     : fit_up(b_lo, b_hi, size, align, &a) && (!found || a < best)) {
			best = a;
			found = true;
		}
	}
	if (!found) {
		return -ENOMEM;
	}
	int rc = record(best, size, tag);
	if (!rc) {
		*addr = best;
	}
	return rc;
}

int memmap_alloc_at(uint64_t addr, uint64_t size, uint32_t tag)
{
	struct mem_range banks[DTINFO_MAX_BANKS];
	unsigned int n = page_banks(banks);
	uint64_t end;

	if (size == 0 || !IS_ALIGNED(addr, PAGE_SIZE) || size > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE) ||
	    __builtin_add_overflow(addr, ALIGN_UP(size, PAGE_SIZE), &end)) {
		return -EINVAL;
	}
	size = end - addr;
	if (mem_range_room(banks, n, addr) < size) {
		return -EFAULT;
	}
	if (first_hit(addr, end)) {
		return -EBUSY;
	}
	return record(addr, size, tag);
}

/* The MEMMAP_ALLOC region holding @pa, or NULL. */
static struct memmap_region *alloc_at(uint64_t pa)
{
	struct memmap *m = mm();

	for (unsigned int i = 0; i < m->count; i++) {
		struct memmap_region *r = &m->regions[i];

		if (r->kind == MEMMAP_ALLOC && pa >= r->base && pa - r->base < r->size) {
			return r;
		}
	}
	return NULL;
}

static void remove_region(struct memmap_region *r)
{
	struct memmap *m = mm();
	size_t i = (size_t)(r - m->regions);

	memmove(r, r + 1, (m->count - i - 1) * sizeof(*r));
	m->count--;
}

int memmap_free(uint64_t addr, uint64_t size)
{
	struct memmap *m = mm();
	struct memmap_region *r;
	uint64_t end, pa;

	if (size == 0 || !IS_ALIGNED(addr, PAGE_SIZE) || size > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE) ||
	    __builtin_add_overflow(addr, ALIGN_UP(size, PAGE_SIZE), &end)) {
		return -EINVAL;
	}
	/* Every page allocated? ALLOC regions never overlap, so each step
	 * reaches the end of a different one. */
	for (pa = addr; pa < end; pa = r->base + r->size) {
		r = alloc_at(pa);
		if (!r) {
			return -ENOENT;
		}
	}
	r = alloc_at(addr);
	if (r->base < addr && r->base + r->size > end) {
		/* The middle of one region: it becomes two. */
		int rc = add_region(end, r->base + r->size - end, MEMMAP_ALLOC, r->tag);
		if (rc) {
			return rc;
		}
		r->size = addr - r->base;
		return 0;
	}
	for (unsigned int i = m->count; i-- > 0;) {
		r = &m->regions[i];
		if (r->kind != MEMMAP_ALLOC || r->base >= end || r->base + r->size <= addr) {
			continue;
		}
		uint64_t r_end = r->base + r->size;
		if (r->base >= addr && r_end <= end) {
			remove_region(r);
		} else if (r->base < addr) {
			r->size = addr - r->base; /* keeps its head */
		} else {
			r->base = end; /* keeps its tail */
			r->size = r_end - end;
		}
	}
	m->key++;
	return 0;
}

/* The banks' whole pages, sorted and with overlapping or touching ones joined. */
static unsigned int sorted_banks(struct mem_range b[DTINFO_MAX_BANKS])
{
	unsigned int n = page_banks(b), out = 0;

	for (unsigned int i = 1; i < n; i++) {
		struct mem_range x = b[i];
		unsigned int j = i;

		for (; j > 0 && b[j - 1].base > x.base; j--) {
			b[j] = b[j - 1];
		}
		b[j] = x;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct mem_range *last = out ? &b[out - 1] : NULL;
		uint64_t end = b[i].base + b[i].size;

		if (last && b[i].base <= last->base + last->size) {
			last->size = MAX(last->base + last->size, end) - last->base;
		} else {
			b[out++] = b[i];
		}
	}
	return out;
}

/* What covers the page at @pos, as *@d from @pos up to the next change (<= @end). */
static void segment(uint64_t pos, uint64_t end, struct memmap_desc *d)
{
	const struct memmap *m = mm();
	uint64_t next = end;

	*d = (struct memmap_desc){pos, 0, MEMMAP_FREE, 0};
	for (unsigned int i = 0; i < m->count; i++) {
		const struct memmap_region *r = &m->regions[i];
		uint64_t lo = page_lo(r), hi = page_hi(r);

		if (lo <= pos && pos < hi) {
			if (r->kind > d->kind) {
				d->kind = r->kind;
				d->tag = r->tag;
			}
			next = MIN(next, hi);
		} else if (lo > pos) {
			next = MIN(next, lo);
		}
	}
	d->size = next - pos;
}

struct describe {
	struct memmap_desc *out, cur;
	unsigned int max, count;
};

static void flush(struct describe *s)
{
	if (s->cur.size) {
		if (s->count < s->max) {
			s->out[s->count] = s->cur;
		}
		s->count++;
	}
}

int memmap_describe(struct memmap_desc *out, unsigned int max, unsigned int *count)
{
	struct mem_range banks[DTINFO_MAX_BANKS];
	unsigned int n = sorted_banks(banks);
	struct describe s = {.out = out, .max = out ? max : 0};
	struct memmap_desc d;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t end = banks[i].base + banks[i].size;

		for (uint64_t pos = banks[i].base; pos < end; pos += d.size) {
			segment(pos, end, &d);
			if (s.cur.size && s.cur.kind == d.kind && s.cur.tag == d.tag &&
			    s.cur.base + s.cur.size == d.base) {
				s.cur.size += d.size;
			} else {
				flush(&s);
				s.cur = d;
			}
		}
	}
	flush(&s);
	*count = s.count;
	return s.count > s.max ? -ENOSPC : 0;
}

uint64_t memmap_key(void)
{
	return mm()->key;
}

unsigned int memmap_count(void)
{
	return mm()->count;
}

const struct memmap_region *memmap_at(unsigned int i)
{
	return i < mm()->count ? &mm()->regions[i] : NULL;
}

const char *memmap_kind_name(enum memmap_kind kind)
{
	switch (kind) {
	case MEMMAP_FREE:
		return "free";
	case MEMMAP_ALLOC:
		return "allocated";
	case MEMMAP_HEAP:
		return "xenboot heap";
	case MEMMAP_XENBOOT:
		return "xenboot";
	case MEMMAP_FDT:
		return "device tree";
	case MEMMAP_LOST:
		return "lost to a backend";
	}
	return "?";
}

void memmap_reset(void)
{
	mm()->count = 0;
	mm()->key++;
}
