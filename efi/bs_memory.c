/*
 * The memory services: AllocatePages, FreePages, GetMemoryMap, AllocatePool
 * and FreePool, over the page allocator of <lib/memmap.h>. An allocation is
 * a MEMMAP_ALLOC region tagged with its EFI memory type.
 *
 * Pools: a request up to POOL_SLOT_MAX bytes takes a slot of a page carved
 * into equal power-of-two slots (16 bytes and up: 8-byte alignment), one
 * page per type and slot size; a bigger one takes whole pages. What pages
 * and slots are in use is kept here, never in the pages themselves, so an
 * application scribbling over pool memory cannot mislead FreePool, and a
 * pointer is checked against that list before anything is touched.
 *
 * The map (GetMemoryMap): free RAM is EfiConventionalMemory; xenboot's
 * image EfiRuntimeServicesCode (runtime services and their tables live in
 * it); its heap and the DT Xen passed EfiBootServicesData: the OS gets its
 * own copy of the DT (the configuration table, which Linux's EFI stub copies
 * again before ExitBootServices), so Xen's blob may be reused; pages lost to
 * a backend EfiReservedMemoryType; an allocation its type.
 */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/memmap.h>
#include <stdlib.h>
#include <string.h>

/* What GetMemoryMap reports: sizeof rounded to 8 (40 bytes). */
#define EFI_MEMMAP_DESC_SIZE ALIGN_UP(sizeof(struct efi_memory_descriptor), 8)
/* The cache attributes EDK2 reports for RAM. */
#define EFI_RAM_ATTRIBUTES (EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)

#define POOL_SLOT_MIN_SHIFT 4
#define POOL_SLOT_MAX_SHIFT 11
#define POOL_SLOT_MAX (1u << POOL_SLOT_MAX_SHIFT)
#define POOL_BITMAP_WORDS ((EFI_PAGE_SIZE >> POOL_SLOT_MIN_SHIFT) / 64)

/* One page of slots, or the pages of one big pool (shift 0). */
struct pool_block {
	uint64_t pa, pages;
	uint32_t type;
	uint16_t shift;
	uint16_t used_count;
	uint64_t used[POOL_BITMAP_WORDS];
};

struct efi_pool {
	struct pool_block *blocks;
	unsigned int count, capacity;
};

/* Types an application may allocate (UEFI 2.10 §7.2): not free memory,
 * persistent or unaccepted memory, nor the reserved EfiMaxMemoryType..
 * 0x6fffffff; EfiReservedMemoryType, the OEM and OS ranges are fine. */
static bool is_allocatable(uint32_t type)
{
	if (type >= EFI_MEMORY_TYPE_OEM_FIRST) {
		return true;
	}
	return type < EfiMaxMemoryType && type != EfiConventionalMemory &&
	       type != EfiPersistentMemory && type != EfiUnacceptedMemoryType;
}

static struct efi_pool *pool_get(void)
{
	struct efi *e = efi_get();

	if (!e->pool) {
		e->pool = calloc(1, sizeof(*e->pool));
	}
	return e->pool;
}

/* Does any pool block hold a page of [pa, pa+len)? */
static bool pool_overlaps(uint64_t pa, uint64_t len)
{
	const struct efi_pool *p = efi_get()->pool;

	for (unsigned int i = 0; p && i < p->count; i++) {
		const struct pool_block *b = &p->blocks[i];

		if (pa < b->pa + b->pages * EFI_PAGE_SIZE && b->pa < pa + len) {
			return true;
		}
	}
	return false;
}

efi_status_t efi_bs_allocate_pages(uint32_t type, uint32_t memory_type, uint64_t pages,
				   efi_physical_addr_t *memory)
{
	uint64_t addr, hi = UINT64_MAX;
	int rc;

	if (!memory || type >= MaxAllocateType || !is_allocatable(memory_type) || pages == 0) {
		return EFI_INVALID_PARAMETER;
	}
	if (pages > (UINT64_MAX >> EFI_PAGE_SHIFT)) {
		return EFI_OUT_OF_RESOURCES;
	}
	if (type == AllocateAddress) {
		/* An unaligned address names no page that could be found. */
		if (!IS_ALIGNED(*memory, EFI_PAGE_SIZE)) {
			return EFI_NOT_FOUND;
		}
		rc = memmap_alloc_at(*memory, pages << EFI_PAGE_SHIFT, memory_type);
		return rc == -EBUSY || rc == -EFAULT || rc == -EINVAL ? EFI_NOT_FOUND
								      : efi_status_of(rc);
	}
	if (type == AllocateMaxAddress && *memory != UINT64_MAX) {
		hi = *memory + 1; /* the last byte may be at *memory */
	}
	/* Highest first, as EDK2 does: low memory stays for what needs it. */
	rc = memmap_alloc(&addr, pages << EFI_PAGE_SHIFT, EFI_PAGE_SIZE, 0, hi, true, memory_type);
	if (rc == -ENOMEM || rc == -EINVAL) {
		return EFI_OUT_OF_RESOURCES;
	}
	if (!rc) {
		*memory = addr;
	}
	return efi_status_of(rc);
}

efi_status_t efi_bs_free_pages(efi_physical_addr_t memory, uint64_t pages)
{
	if (!IS_ALIGNED(memory, EFI_PAGE_SIZE) || pages == 0 ||
	    pages > (UINT64_MAX >> EFI_PAGE_SHIFT) || memory + (pages << EFI_PAGE_SHIFT) < memory) {
		return EFI_INVALID_PARAMETER;
	}
	/* Pool pages were not allocated with AllocatePages. */
	if (pool_overlaps(memory, pages << EFI_PAGE_SHIFT)) {
		return EFI_NOT_FOUND;
	}
	int rc = memmap_free(memory, pages << EFI_PAGE_SHIFT);
	return rc == -ENOENT ? EFI_NOT_FOUND : efi_status_of(rc);
}

static uint32_t type_of(const struct memmap_desc *d)
{
	switch (d->kind) {
	case MEMMAP_FREE:
		return EfiConventionalMemory;
	case MEMMAP_ALLOC:
		return d->tag;
	case MEMMAP_HEAP:
	case MEMMAP_FDT:
		return EfiBootServicesData;
	case MEMMAP_XENBOOT:
		return EfiRuntimeServicesCode;
	case MEMMAP_LOST:
		break;
	}
	return EfiReservedMemoryType;
}

static void fill_desc(struct efi_memory_descriptor *out, const struct memmap_desc *d)
{
	uint32_t type = type_of(d);

	*out = (struct efi_memory_descriptor){
	    .type = type,
	    .physical_start = d->base,
	    .number_of_pages = d->size >> EFI_PAGE_SHIFT,
	    .attribute = EFI_RAM_ATTRIBUTES,
	};
	if (type == EfiRuntimeServicesCode || type == EfiRuntimeServicesData) {
		out->attribute |= EFI_MEMORY_RUNTIME;
	}
}

efi_status_t efi_bs_get_memory_map(uint64_t *map_size, struct efi_memory_descriptor *map,
				   uint64_t *map_key, uint64_t *desc_size, uint32_t *desc_version)
{
	unsigned int n = 0;

	if (!map_size) {
		return EFI_INVALID_PARAMETER;
	}
	if (memmap_describe(NULL, 0, &n) && n == 0) {
		return EFI_DEVICE_ERROR; /* -ENOSPC with n needed is the rule */
	}
	uint64_t need = (uint64_t)n * EFI_MEMMAP_DESC_SIZE;
	if (desc_size) {
		*desc_size = EFI_MEMMAP_DESC_SIZE;
	}
	if (desc_version) {
		*desc_version = EFI_MEMORY_DESCRIPTOR_VERSION;
	}
	if (*map_size < need) {
		*map_size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!map) {
		return EFI_INVALID_PARAMETER;
	}
	/* malloc takes from the heap, already in the map: n stays right. */
	struct memmap_desc *d = malloc(n ? n * sizeof(*d) : 1);
	if (!d) {
		return EFI_OUT_OF_RESOURCES;
	}
	if (memmap_describe(d, n, &n)) {
		free(d);
		return EFI_DEVICE_ERROR; /* the map changed under us: our bug */
	}
	for (unsigned int i = 0; i < n; i++) {
		struct efi_memory_descriptor out;

		fill_desc(&out, &d[i]);
		memcpy((char *)map + (size_t)i * EFI_MEMMAP_DESC_SIZE, &out, sizeof(out));
	}
	free(d);
	*map_size = need;
	if (map_key) {
		*map_key = memmap_key();
	}
	return EFI_SUCCESS;
}

/* Room for one more block; false when the list cannot grow. */
static bool pool_reserve(struct efi_pool *p)
{
	if (p->count < p->capacity) {
		return true;
	}
	unsigned int cap = p->capacity ? 2 * p->capacity : 32;
	struct pool_block *b = realloc(p->blocks, cap * sizeof(*b));
	if (!b) {
		return false;
	}
	p->blocks = b;
	p->capacity = cap;
	return true;
}

/* New pages of @type as a block of @shift (0: @pages for one big pool). */
static struct pool_block *pool_add(struct efi_pool *p, uint32_t type, uint16_t shift,
				   uint64_t pages)
{
	uint64_t pa;

	if (!pool_reserve(p) ||
	    memmap_alloc(&pa, pages << EFI_PAGE_SHIFT, EFI_PAGE_SIZE, 0, UINT64_MAX, true, type)) {
		return NULL;
	}
	struct pool_block *b = &p->blocks[p->count++];
	*b = (struct pool_block){.pa = pa, .pages = pages, .type = type, .shift = shift};
	return b;
}

/* A free slot of 1 << @shift bytes in a page of @type, or NULL. */
static void *pool_slot(struct efi_pool *p, uint32_t type, uint16_t shift)
{
	unsigned int slots = EFI_PAGE_SIZE >> shift;
	struct pool_block *b = NULL;

	for (unsigned int i = 0; !b && i < p->count; i++) {
		struct pool_block *c = &p->blocks[i];

		if (c->type == type && c->shift == shift && c->used_count < slots) {
			b = c;
		}
	}
	if (!b) {
		b = pool_add(p, type, shift, 1);
	}
	for (unsigned int s = 0; b && s < slots; s++) {
		if (!(b->used[s / 64] & (1ULL << (s % 64)))) {
			b->used[s / 64] |= 1ULL << (s % 64);
			b->used_count++;
			return arch_phys_to_virt(b->pa + ((uint64_t)s << shift));
		}
	}
	return NULL;
}

efi_status_t efi_bs_allocate_pool(uint32_t pool_type, uint64_t size, void **buffer)
{
	struct efi_pool *p = pool_get();
	uint16_t shift = POOL_SLOT_MIN_SHIFT;

	if (!buffer || !is_allocatable(pool_type)) {
		return EFI_INVALID_PARAMETER;
	}
	if (!p || size > (UINT64_MAX >> 1)) {
		return EFI_OUT_OF_RESOURCES;
	}
	if (size > POOL_SLOT_MAX) {
		struct pool_block *b =
		    pool_add(p, pool_type, 0, ALIGN_UP(size, EFI_PAGE_SIZE) >> EFI_PAGE_SHIFT);
		*buffer = b ? arch_phys_to_virt(b->pa) : NULL;
		return b ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
	}
	while ((1ULL << shift) < size) {
		shift++;
	}
	/* Size 0 still gets a slot: a pointer FreePool takes back. */
	*buffer = pool_slot(p, pool_type, shift);
	return *buffer ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}

static void pool_remove(struct efi_pool *p, struct pool_block *b)
{
	/* Its pages came from memmap_alloc(): freeing them cannot fail. */
	if (memmap_free(b->pa, b->pages << EFI_PAGE_SHIFT)) {
		log_err("pool pages at 0x%llx not freed\n", (unsigned long long)b->pa);
	}
	*b = p->blocks[--p->count];
}

efi_status_t efi_bs_free_pool(void *buffer)
{
	struct efi_pool *p = efi_get()->pool;
	uintptr_t va = (uintptr_t)buffer;

	for (unsigned int i = 0; buffer && p && i < p->count; i++) {
		struct pool_block *b = &p->blocks[i];
		uintptr_t start = (uintptr_t)arch_phys_to_virt(b->pa);
		uint64_t off = va - start;

		if (va < start || off >= b->pages * EFI_PAGE_SIZE) {
			continue;
		}
		if (b->shift == 0) {
			if (off) {
				break; /* inside a big pool, not its start */
			}
			pool_remove(p, b);
			return EFI_SUCCESS;
		}
		uint64_t s = off >> b->shift;
		if ((off & ((1ULL << b->shift) - 1)) || !(b->used[s / 64] & (1ULL << (s % 64)))) {
			break; /* inside a slot, or a slot already free */
		}
		b->used[s / 64] &= ~(1ULL << (s % 64));
		if (--b->used_count == 0) {
			pool_remove(p, b);
		}
		return EFI_SUCCESS;
	}
	return EFI_INVALID_PARAMETER;
}
