/* The page allocator and memory map (lib/memmap.c) against a brute-force
 * model: the input is a few RAM banks in a 128-page window, then a list of
 * operations (add a region, allocate anywhere/at an address, free). After
 * each, the map must match the model page by page, an allocation must be
 * the best free place, a free must succeed exactly when every page was
 * allocated, and the key must change exactly when the map did. */
#include <fuzz.h>
#include <lib/compiler.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <string.h>

#define WIN 0x40000000ULL
#define PAGES 128 /* where addresses mostly fall */
#define SCAN (3 * PAGES) /* where banks may reach */
#define PG 4096ULL
#define MAX_OPS 200

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint64_t next(struct reader *r, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && r->left; i++, r->left--) {
		v |= (uint64_t)*r->p++ << (8 * i);
	}
	return v;
}

/* An address in or near the window, sometimes unaligned or absurd. */
static uint64_t addr(struct reader *r)
{
	uint64_t v = next(r, 3);

	switch (v & 7) {
	case 0:
		return next(r, 8);
	case 1:
		return WIN + (v >> 3) % (PAGES * PG + 64);
	default:
		return WIN + ((v >> 3) % (PAGES + 2)) * PG;
	}
}

static uint64_t length(struct reader *r)
{
	uint64_t v = next(r, 2);

	if ((v & 15) == 0) {
		return next(r, 8);
	}
	return (v & 1) ? (v >> 1) % (PAGES * PG) : ((v >> 1) % 16) * PG;
}

static struct dtinfo dt;

/* Bank @i's whole pages: [*lo, *hi). */
static void bank_pages(unsigned int i, uint64_t *lo, uint64_t *hi)
{
	const struct mem_range *b = &dt.banks[i];
	uint64_t end = b->base + b->size < b->base ? UINT64_MAX : b->base + b->size;

	*lo = ALIGN_UP(b->base, PG);
	*hi = ALIGN_DOWN(end, PG);
}

/* The page at @pa lies wholly in a bank. */
static bool is_ram(uint64_t pa)
{
	for (unsigned int i = 0; i < dt.bank_count; i++) {
		uint64_t lo, hi;

		bank_pages(i, &lo, &hi);
		if (pa >= lo && pa < hi) {
			return true;
		}
	}
	return false;
}

/* The model, kept apart from lib/memmap.c's own list: the regions added,
 * and each page's allocation tag (-1: not allocated). */
static struct memmap_region added[MAX_OPS];
static unsigned int added_count;
static int64_t alloc_tag[SCAN];

/* What the map must say of the page at @pa: the highest kind over it. */
static void model(uint64_t pa, enum memmap_kind *kind, uint32_t *tag)
{
	*kind = MEMMAP_FREE;
	*tag = 0;
	if (pa >= WIN && pa - WIN < SCAN * PG && alloc_tag[(pa - WIN) / PG] >= 0) {
		*kind = MEMMAP_ALLOC;
		*tag = (uint32_t)alloc_tag[(pa - WIN) / PG];
	}
	for (unsigned int i = 0; i < added_count; i++) {
		const struct memmap_region *r = &added[i];

		if (r->base < pa + PG && pa < r->base + r->size && r->kind > *kind) {
			*kind = r->kind;
			*tag = 0;
		}
	}
}

/* A successful allocation of [a, a+size) with @tag (-1: a free). */
static void model_set(uint64_t a, uint64_t size, int64_t tag)
{
	for (uint64_t pa = a; pa < a + size; pa += PG) {
		alloc_tag[(pa - WIN) / PG] = tag;
	}
}

static void check_map(void)
{
	static struct memmap_desc d[2 * MEMMAP_MAX + DTINFO_MAX_BANKS];
	unsigned int n = 0, i = 0;

	fuzz_check(memmap_describe(d, ARRAY_SIZE(d), &n) == 0);
	for (unsigned int k = 0; k < n; k++) {
		fuzz_check(d[k].size && IS_ALIGNED(d[k].base | d[k].size, PG));
		fuzz_check(k == 0 || d[k].base >= d[k - 1].base + d[k - 1].size);
		fuzz_check(k == 0 || d[k].base != d[k - 1].base + d[k - 1].size ||
			   d[k].kind != d[k - 1].kind || d[k].tag != d[k - 1].tag);
	}
	/* Page by page: in the map exactly when RAM, with the model's kind. */
	for (uint64_t pa = WIN; pa < WIN + SCAN * PG; pa += PG) {
		enum memmap_kind kind;
		uint32_t tag;

		while (i < n && d[i].base + d[i].size <= pa) {
			i++;
		}
		bool in_map = i < n && d[i].base <= pa;
		fuzz_check(in_map == is_ram(pa));
		if (in_map) {
			model(pa, &kind, &tag);
			fuzz_check(d[i].kind == kind && d[i].tag == tag);
		}
	}
}

static bool page_free[SCAN]; /* the model's free RAM pages, before an operation */

static void model_free(void)
{
	for (unsigned int p = 0; p < SCAN; p++) {
		enum memmap_kind kind;
		uint32_t tag;

		model(WIN + p * PG, &kind, &tag);
		page_free[p] = kind == MEMMAP_FREE;
	}
}

/* [a, a+size) (whole pages, in the scanned window) is in one bank and free. */
static bool fits(uint64_t a, uint64_t size)
{
	if (a < WIN || size > SCAN * PG || a - WIN > SCAN * PG - size) {
		return false;
	}
	for (unsigned int i = 0; i < dt.bank_count; i++) {
		uint64_t lo, hi;

		bank_pages(i, &lo, &hi);
		if (a >= lo && a + size <= hi) {
			for (uint64_t pa = a; pa < a + size; pa += PG) {
				if (!page_free[(pa - WIN) / PG]) {
					return false;
				}
			}
			return true;
		}
	}
	return false;
}

/* The best place memmap_alloc() must find, by trying every one. */
static bool best(uint64_t size, uint64_t align, uint64_t lo, uint64_t hi, bool top_down,
		 uint64_t *out)
{
	bool found = false;

	for (uint64_t a = WIN; a + size <= WIN + SCAN * PG; a += PG) {
		if (a % align || a < lo || a + size > hi || !fits(a, size)) {
			continue;
		}
		if (!found || top_down) {
			*out = a;
		}
		found = true;
	}
	return found;
}

static void op_alloc(struct reader *r)
{
	uint64_t size = length(r), align = 1ULL << (next(r, 1) % 24), lo = addr(r), hi = addr(r);
	bool top_down = next(r, 1) & 1;
	uint32_t tag = (uint32_t)next(r, 1) % 4;
	uint64_t a = 0, want = 0, key = memmap_key();
	uint64_t pages = ALIGN_UP(size, PG);
	bool ok = size && size <= SCAN * PG && best(pages, MAX(align, PG), lo, hi, top_down, &want);
	int rc = memmap_alloc(&a, size, align, lo, hi, top_down, tag);

	fuzz_check((rc == 0) == ok);
	fuzz_check(rc == 0 || rc == -ENOMEM || rc == -EINVAL);
	fuzz_check(rc != 0 || a == want);
	fuzz_check((rc == 0) == (memmap_key() != key));
	if (rc == 0) {
		model_set(a, pages, tag);
	}
}

static void op_alloc_at(struct reader *r)
{
	uint64_t a = addr(r), size = length(r), key = memmap_key();
	bool ok = size && size <= SCAN * PG && IS_ALIGNED(a, PG) && fits(a, ALIGN_UP(size, PG));
	uint32_t tag = (uint32_t)next(r, 1) % 4;
	int rc = memmap_alloc_at(a, size, tag);

	fuzz_check((rc == 0) == ok);
	fuzz_check((rc == 0) == (memmap_key() != key));
	if (rc == 0) {
		model_set(a, ALIGN_UP(size, PG), tag);
	}
}

static void op_free(struct reader *r)
{
	uint64_t a = addr(r), size = length(r), key = memmap_key();
	bool ok = size && size <= SCAN * PG && IS_ALIGNED(a, PG) && a >= WIN && a < WIN + SCAN * PG;

	for (uint64_t pa = a; ok && pa < a + ALIGN_UP(size, PG); pa += PG) {
		ok = pa - WIN < SCAN * PG && alloc_tag[(pa - WIN) / PG] >= 0;
	}
	int rc = memmap_free(a, size);
	fuzz_check((rc == 0) == ok);
	fuzz_check((rc == 0) == (memmap_key() != key));
	if (rc == 0) {
		model_set(a, ALIGN_UP(size, PG), -1);
	}
}

static void op_add(struct reader *r)
{
	uint64_t base = addr(r), len = length(r);
	enum memmap_kind kind = (enum memmap_kind)(next(r, 1) % 6);
	int rc = memmap_add(base, len, kind);

	fuzz_check((rc == 0) == (len && base + len >= base && kind > MEMMAP_ALLOC));
	if (rc == 0) {
		added[added_count++] = (struct memmap_region){base, len, kind, 0};
	}
}

static void run(const uint8_t *data, size_t size)
{
	struct reader r = {data, size};

	memset(&dt, 0, sizeof(dt));
	dt.bank_count = 1 + next(&r, 1) % 4;
	/* Banks in the window (unaligned, overlapping, empty): the model
	 * scans only there. Far addresses come with the operations. */
	for (unsigned int i = 0; i < dt.bank_count; i++) {
		dt.banks[i].base = WIN + next(&r, 3) % (PAGES * PG);
		dt.banks[i].size = next(&r, 3) % (2 * PAGES * PG);
	}
	dtinfo_set(&dt);
	memmap_reset();
	added_count = 0;
	memset(alloc_tag, 0xff, sizeof(alloc_tag));
	for (unsigned int n = 0; r.left && n < MAX_OPS; n++) {
		uint64_t op = next(&r, 1);

		model_free();

		if (op % 4 == 0) {
			op_add(&r);
		} else if (op % 4 == 1) {
			op_alloc(&r);
		} else if (op % 4 == 2) {
			op_alloc_at(&r);
		} else {
			op_free(&r);
		}
		check_map();
	}
}

FUZZ_TARGET(run)
