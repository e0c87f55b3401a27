/* The netfront response consumers (nf_tx_reclaim, nf_rx_parse) against a
 * backend that writes whatever it likes into the response halves of both
 * rings, their producer indices and the RX pages (STYLE U1, U2, T3). Runs
 * on the simulated Xen (set up once): real grants for the frames in
 * flight, ended when their answers come.
 *
 * Input: n (TX frames in flight, % 65), k (TX response slots given, % 33),
 * txbase, rxbase (le32: where the free-running indices start, to cover
 * wrap), txprod, rxprod (le32: rsp_prod minus base), then k 4-byte TX
 * responses {id le16, status le16}, then up to 64 8-byte RX responses
 * {id, offset, flags, status: le16 each}; what follows fills the start of
 * every RX page (frame bytes, for the checksum filler). Checked: buffers
 * and pages conserved, no completion out of nothing, delivered frames
 * within netdev bounds, and a healthy device consumed what was published.
 * Seeds: tests/fuzz/seeds/mk-netif_rsp.py. */
#include <arch/arch.h>
#include <fuzz.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <sim/sim.h>
#include <string.h>
#include <xen/gnttab.h>
#include <xen/xen.h>

#include "../../drivers/net/netfront_internal.h"

#define HEAD 19
#define RX_SLOTS 64
#define PAGE_FILL 2048

static struct netfront nf;
static uint8_t *mem; /* rings, RX pages, TX pages: guest RAM */
static grant_ref_t rx_refs[NF_RX_BUFS];
static uint8_t frame[NETDEV_FRAME_MAX];

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The simulated Xen and the pages, once per process. */
static void world_once(void)
{
	static bool is_up;
	struct dtinfo dt;
	uint64_t size;

	if (is_up) {
		return;
	}
	if (sim_init(NULL)) {
		__builtin_trap();
	}
	const void *fdt = sim_fdt(&size);
	if (dtinfo_parse(fdt, size, &dt) || shinfo_map(&dt) || gnttab_init(&dt) ||
	    sim_heap_alloc(2 + NF_RX_BUFS + NF_TX_PAGES, (void **)&mem)) {
		__builtin_trap();
	}
	for (unsigned int i = 0; i < NF_RX_BUFS; i++) {
		uint64_t gfn = sim_virt_to_phys(mem + (2 + i) * PAGE_SIZE) >> PAGE_SHIFT;
		if (gnttab_grant(SIM_BACKEND_DOMID, gfn, false, &rx_refs[i])) {
			__builtin_trap();
		}
	}
	is_up = true;
}

/* Connected, every RX page posted, @n frames in flight from @txbase. */
static void connect(unsigned int n, uint32_t txbase, uint32_t rxbase)
{
	memset(&nf, 0, sizeof(nf));
	memcpy(nf.nd.name, "fuzz", 5);
	nf.nd.ops = &nf_netdev_ops;
	nf.nd.priv = &nf;
	nf.xb.otherend_id = SIM_BACKEND_DOMID;
	nf.is_connected = true;
	nf.ring_mem = mem;
	nf.rx_pages = mem + 2 * PAGE_SIZE;
	nf.tx_pages = nf.rx_pages + (size_t)NF_RX_BUFS * PAGE_SIZE;
	nf_rings_init(&nf, mem);
	memcpy(nf.rx_refs, rx_refs, sizeof(rx_refs));
	nf.rx_ref_count = NF_RX_BUFS;
	nf.tx_prod_pvt = nf.tx_pushed = nf.tx_cons = txbase;
	nf.rx_prod_pvt = nf.rx_pushed = nf.rx_cons = rxbase;
	nf.tx_sring->rsp_prod = txbase;
	nf.rx_sring->rsp_prod = rxbase;
	nf_rx_refill(&nf, false);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int id = nf.tx_free[--nf.tx_free_count];
		uint64_t gfn = sim_virt_to_phys(nf_tx_buf(&nf, id)) >> PAGE_SHIFT;
		if (gnttab_grant(SIM_BACKEND_DOMID, gfn, true, &nf.tx_refs[id])) {
			__builtin_trap();
		}
		nf.tx_is_in_flight[id] = true;
		nf.tx_prod_pvt++;
	}
	nf.tx_pushed = nf.tx_prod_pvt;
}

static unsigned int count_true(const bool *v, unsigned int n)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++) {
		c += v[i];
	}
	return c;
}

static void check(void)
{
	unsigned int posted = count_true(nf.rx_is_posted, NF_RX_BUFS);

	fuzz_check(nf.tx_free_count + count_true(nf.tx_is_in_flight, NF_TX_BUFS) == NF_TX_BUFS);
	fuzz_check(nf.rx_free_count + nf.rx_part_count + posted <= NF_RX_BUFS);
	if (!nf.nd.is_broken) {
		fuzz_check(nf.rx_free_count + nf.rx_part_count + posted == NF_RX_BUFS);
		fuzz_check(nf.rx_prod_pvt - nf.rx_cons == posted);
	}
}

static void netif_rsp_fuzz(const uint8_t *data, size_t size)
{
	if (size < HEAD) {
		return;
	}
	world_once();
	unsigned int n = data[0] % (NF_TX_BUFS + 1), k = data[1] % 33;
	uint32_t txbase = le32(data + 2), rxbase = le32(data + 6);
	const uint8_t *p = data + HEAD, *end = data + size;

	connect(n, txbase, rxbase);
	for (unsigned int j = 0; j < k && p + 4 <= end; j++, p += 4) {
		struct netif_tx_response r = {.id = le16(p), .status = (int16_t)le16(p + 2)};
		memcpy(&nf.tx_ring[(txbase + j) & (NET_TX_RING_SIZE - 1)].rsp, &r, sizeof(r));
	}
	for (unsigned int j = 0; j < RX_SLOTS && p + 8 <= end; j++, p += 8) {
		struct netif_rx_response r = {le16(p), le16(p + 2), le16(p + 4),
					      (int16_t)le16(p + 6)};
		memcpy(&nf.rx_ring[(rxbase + j) & (NET_RX_RING_SIZE - 1)].rsp, &r, sizeof(r));
	}
	size_t fill = (size_t)(end - p) < PAGE_FILL ? (size_t)(end - p) : PAGE_FILL;
	for (unsigned int i = 0; i < NF_RX_BUFS; i++) {
		memcpy(nf_rx_page(&nf, i), p, fill);
	}
	nf.tx_sring->rsp_prod = txbase + le32(data + 10);
	nf.rx_sring->rsp_prod = rxbase + le32(data + 14);
	(void)data[18];

	int done = nf_tx_reclaim(&nf);
	fuzz_check(done == -EIO || (done >= 0 && (unsigned int)done <= n));
	fuzz_check(nf.nd.is_broken || nf.tx_cons == nf.tx_sring->rsp_prod);
	check();
	int rc = 1;
	for (unsigned int round = 0; rc == 1 && round < 2 * NF_RX_BUFS; round++) {
		size_t len = 0;
		rc = nf_rx_parse(&nf, frame, sizeof(frame), &len);
		fuzz_check(rc == -EIO || rc == 0 || rc == 1);
		fuzz_check(rc != 1 || (len >= 14 && len <= NETDEV_FRAME_MAX));
		if (rc >= 0) {
			nf_rx_refill(&nf, false);
		}
		check();
	}
	fuzz_check(nf.nd.is_broken || nf.rx_cons == nf.rx_sring->rsp_prod);
	/* Leave no grant behind for the next input. */
	for (unsigned int id = 0; id < NF_TX_BUFS; id++) {
		if (nf.tx_is_in_flight[id] && gnttab_end(nf.tx_refs[id])) {
			__builtin_trap();
		}
	}
}

FUZZ_TARGET(netif_rsp_fuzz)
