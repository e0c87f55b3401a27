/* Guest-physical memory of the simulated domU.
 *
 * An identity map is impossible on the host, so the sim keeps a p2m: each
 * RAM bank is one contiguous host mapping, and single pages (shared_info,
 * grant frames, the magic ring pages, holes, pages of the sandbox binary)
 * are entries in a page table that is consulted first, so they shadow RAM
 * exactly as XENMEM_add_to_physmap replaces a RAM page in Xen's p2m. */
#include "internal.h"

#include <string.h>
#include <sys/mman.h>
#include <xen/abi/console.h>
#include <xen/abi/memory.h>
#include <xen/abi/xs_wire.h>

#define SIM_MAX_PAGES 2048

struct ram_bank {
	uint64_t base;
	uint64_t size;
	unsigned char *host;
};

struct page_entry {
	uint64_t gfn;
	unsigned char *host; /* NULL for a hole */
	enum sim_page_kind kind;
};

static struct ram_bank ram[SIM_MAX_BANKS];
static unsigned int ram_count;
static struct page_entry pages[SIM_MAX_PAGES];
static unsigned int page_count;
static uint64_t next_image_gfn;

/* The toolstack's ring pages live outside RAM, in the magic window. */
static int map_magic(uint64_t gfn)
{
	void *p = aligned_alloc(SIM_PAGE_SIZE, SIM_PAGE_SIZE);

	if (!p) {
		return -XEN_ENOMEM;
	}
	memset(p, 0, SIM_PAGE_SIZE);
	if (sim_mem_map_page(gfn, p, SIM_PG_MAGIC)) {
		free(p);
		return -XEN_ENOMEM;
	}
	return 0;
}

struct xencons_interface *sim_console_ring(void)
{
	return sim_mem_gfn_to_host(SIM_CONSOLE_GFN, false);
}

struct xenstore_domain_interface *sim_store_ring(void)
{
	return sim_mem_gfn_to_host(SIM_STORE_GFN, false);
}

int sim_mem_init(void)
{
	for (unsigned int i = 0; i < sim_cfg.bank_count; i++) {
		/* Anonymous memory is zeroed and only costs what the guest touches. */
		void *p = mmap(NULL, sim_cfg.banks[i].size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			return -XEN_ENOMEM;
		}
		ram[i].base = sim_cfg.banks[i].base;
		ram[i].size = sim_cfg.banks[i].size;
		ram[i].host = p;
		ram_count = i + 1;
	}
	next_image_gfn = SIM_IMAGE_BASE >> 12;
	return map_magic(SIM_CONSOLE_GFN) ?: map_magic(SIM_STORE_GFN);
}

void sim_mem_reset(void)
{
	for (unsigned int i = 0; i < page_count; i++) {
		if (pages[i].kind == SIM_PG_ANON || pages[i].kind == SIM_PG_MAGIC) {
			free(pages[i].host);
		}
	}
	for (unsigned int i = 0; i < ram_count; i++) {
		munmap(ram[i].host, ram[i].size);
	}
	memset(ram, 0, sizeof(ram));
	memset(pages, 0, sizeof(pages));
	ram_count = 0;
	page_count = 0;
}

static struct page_entry *find_gfn(uint64_t gfn)
{
	for (unsigned int i = 0; i < page_count; i++) {
		if (pages[i].gfn == gfn) {
			return &pages[i];
		}
	}
	return NULL;
}

static void drop_entry(struct page_entry *e)
{
	*e = pages[--page_count];
}

static struct ram_bank *ram_bank_of(uint64_t pa)
{
	for (unsigned int i = 0; i < ram_count; i++) {
		if (pa >= ram[i].base && pa - ram[i].base < ram[i].size) {
			return &ram[i];
		}
	}
	return NULL;
}

int sim_mem_map_page(uint64_t gfn, void *host, enum sim_page_kind kind)
{
	struct page_entry *e = find_gfn(gfn);

	if (!e) {
		if (page_count == SIM_MAX_PAGES) {
			return -XEN_ENOMEM;
		}
		e = &pages[page_count++];
	} else if (e->kind == SIM_PG_ANON || e->kind == SIM_PG_MAGIC) {
		/* Xen frees a page that another one replaces in the p2m. */
		free(e->host);
	}
	e->gfn = gfn;
	e->host = host;
	e->kind = kind;
	return 0;
}

uint64_t sim_mem_xen_page_gfn(const void *host)
{
	for (unsigned int i = 0; i < page_count; i++) {
		if (pages[i].host == host && pages[i].kind == SIM_PG_XEN) {
			return pages[i].gfn;
		}
	}
	return SIM_INVALID_GFN;
}

void *sim_mem_gfn_to_host(uint64_t gfn, bool ram_only)
{
	struct page_entry *e = find_gfn(gfn);
	uint64_t pa = gfn << 12;

	if (e) {
		if (ram_only && e->kind != SIM_PG_IMAGE && e->kind != SIM_PG_ANON) {
			return NULL;
		}
		return e->host;
	}
	struct ram_bank *b = ram_bank_of(pa);
	return b ? b->host + (pa - b->base) : NULL;
}

void *sim_phys_to_virt(uint64_t pa)
{
	void *page = sim_mem_gfn_to_host(pa >> 12, false);

	if (!page) {
		sim_stat.bad_address_count++;
		return NULL;
	}
	return (unsigned char *)page + (pa & (SIM_PAGE_SIZE - 1));
}

/* A host page that is not guest memory yet: a static buffer of the sandbox
 * binary. On arm64 it would be inside the Image in RAM, so give it a GFN in
 * the Image's window of bank 0, where nothing else is placed. */
static uint64_t alias_image_page(uintptr_t page)
{
	if (next_image_gfn >= (SIM_IMAGE_BASE + SIM_IMAGE_SIZE) >> 12 ||
	    sim_mem_map_page(next_image_gfn, (void *)page, SIM_PG_IMAGE)) {
		return SIM_INVALID_GFN;
	}
	return next_image_gfn++;
}

uint64_t sim_virt_to_phys(const void *va)
{
	uintptr_t p = (uintptr_t)va;
	uintptr_t page = p & ~(uintptr_t)(SIM_PAGE_SIZE - 1);

	for (unsigned int i = 0; i < page_count; i++) {
		if ((uintptr_t)pages[i].host == page) {
			return (pages[i].gfn << 12) | (p - page);
		}
	}
	for (unsigned int i = 0; i < ram_count; i++) {
		uintptr_t h = (uintptr_t)ram[i].host;
		if (p >= h && p - h < ram[i].size) {
			return ram[i].base + (p - h);
		}
	}
	uint64_t gfn = page ? alias_image_page(page) : SIM_INVALID_GFN;
	if (gfn == SIM_INVALID_GFN) {
		sim_stat.bad_address_count++;
		return SIM_INVALID_GFN;
	}
	return (gfn << 12) | (p - page);
}

bool sim_gfn_is_ram(uint64_t gfn)
{
	return !find_gfn(gfn) && ram_bank_of(gfn << 12);
}

unsigned int sim_ram_hole_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < page_count; i++) {
		n += pages[i].kind == SIM_PG_HOLE;
	}
	return n;
}

/* XENMEM_remove_from_physmap: a Xen page just goes away; RAM leaves a hole
 * (its page was already given back when something was mapped over it). */
static long remove_from_physmap(void *arg)
{
	struct xen_remove_from_physmap x;

	if (sim_copy_from_guest(&x, arg, sizeof(x))) {
		return -XEN_EFAULT;
	}
	if (x.domid != DOMID_SELF) {
		return -XEN_EPERM;
	}
	struct page_entry *e = find_gfn(x.gpfn);
	if (e && e->kind == SIM_PG_HOLE) {
		return -XEN_ENOENT;
	}
	if (!e && !ram_bank_of(x.gpfn << 12)) {
		return -XEN_ENOENT;
	}
	if (e && (e->kind == SIM_PG_ANON || e->kind == SIM_PG_MAGIC)) {
		free(e->host);
	}
	if (e) {
		drop_entry(e);
	}
	if (ram_bank_of(x.gpfn << 12)) {
		return sim_mem_map_page(x.gpfn, NULL, SIM_PG_HOLE);
	}
	return 0;
}

/* XENMEM_add_to_physmap for the two spaces an arm guest uses. Since Xen
 * commit 71320946d5 a Xen page mapped at one GFN cannot be mapped at a
 * second one (-EBUSY, xen-abi.md §12 rule 2); a page at the same GFN again
 * is fine. */
static long add_to_physmap(void *arg)
{
	struct xen_add_to_physmap x;
	void *page;

	if (sim_copy_from_guest(&x, arg, sizeof(x))) {
		return -XEN_EFAULT;
	}
	if (x.domid != DOMID_SELF) {
		return -XEN_EPERM;
	}
	if (x.space == XENMAPSPACE_shared_info) {
		if (x.idx != 0) {
			return -XEN_EINVAL;
		}
		page = sim_shinfo_page();
	} else if (x.space == XENMAPSPACE_grant_table) {
		/* Bit 31 asks for v2 status frames; arm has v1 only. */
		if (x.idx >= SIM_GNTTAB_MAX_FRAMES || sim_gnttab_grow((unsigned int)x.idx + 1)) {
			return -XEN_EINVAL;
		}
		page = sim_gnttab_frame((unsigned int)x.idx);
	} else {
		return -XEN_ENOSYS;
	}
	uint64_t old = sim_mem_xen_page_gfn(page);
	if (old == x.gpfn) {
		return 0;
	}
	if (old != SIM_INVALID_GFN) {
		return -XEN_EBUSY;
	}
	return sim_mem_map_page(x.gpfn, page, SIM_PG_XEN);
}

/* XENMEM_populate_physmap, order 0 only: refill holes (zeroed), or give a
 * fresh page at a GFN outside RAM. Returns the number of extents done. */
static long populate_physmap(void *arg)
{
	struct xen_memory_reservation r;
	long done = 0;

	if (sim_copy_from_guest(&r, arg, sizeof(r))) {
		return -XEN_EFAULT;
	}
	if (r.domid != DOMID_SELF || r.extent_order != 0) {
		return -XEN_EINVAL;
	}
	for (; done < (long)r.nr_extents && done < 1024; done++) {
		xen_pfn_t gfn;
		if (sim_copy_from_guest(&gfn, &r.extent_start.p[done], sizeof(gfn))) {
			break;
		}
		struct page_entry *e = find_gfn(gfn);
		struct ram_bank *b = ram_bank_of(gfn << 12);
		if (e && e->kind == SIM_PG_HOLE) {
			memset(b->host + ((gfn << 12) - b->base), 0, SIM_PAGE_SIZE);
			drop_entry(e);
		} else if (!e && !b) {
			void *p = aligned_alloc(SIM_PAGE_SIZE, SIM_PAGE_SIZE);
			if (!p) {
				break;
			}
			memset(p, 0, SIM_PAGE_SIZE);
			if (sim_mem_map_page(gfn, p, SIM_PG_ANON)) {
				free(p);
				break;
			}
		}
		/* A GFN that is already populated stays as it is. */
	}
	return done;
}

long sim_memory_op(unsigned long cmd, void *arg)
{
	switch (cmd) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(arg);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(arg);
	case XENMEM_populate_physmap:
		return populate_physmap(arg);
	default:
		return -XEN_ENOSYS;
	}
}

/* Hypercall arguments are host pointers in the sandbox (the guest's virtual
 * addresses); NULL is the only one we can tell is bad. */
int sim_copy_from_guest(void *dst, const void *guest, size_t len)
{
	if (!guest && len) {
		return -XEN_EFAULT;
	}
	if (len) {
		memcpy(dst, guest, len);
	}
	return 0;
}

int sim_copy_to_guest(void *guest, const void *src, size_t len)
{
	if (!guest && len) {
		return -XEN_EFAULT;
	}
	if (len) {
		memcpy(guest, src, len);
	}
	return 0;
}
