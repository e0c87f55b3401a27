/* drivers/net/netfront*.c, unmodified, against sim/netback.c: the
 * handshake and its keys, frames both ways (RX ring kept full, TX grants
 * reclaimed), multi-slot and checksum-blank RX frames, every hostile
 * backend knob, stalls with bounded waits, and a teardown that leaves the
 * vif at Initialising with its backend at InitWait and no grant behind. */
/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arch/arch.h>
#include <boot/handoff.h>
#include <cmd/cmd.h>
#include <drivers/netdev.h>
#include <drivers/netfront.h>
#include <drivers/pvcons.h>
#include <lib/console.h>
#include <lib/dtinfo.h>
#include <lib/errno.h>
#include <lib/memmap.h>
#include <sim/netback.h>
#include <sim/sim.h>
#include <sim/xenstore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/abi/netif.h>
#include <xen/evtchn.h>
#include <xen/gnttab.h>
#include <xen/xen.h>
#include <xen/xs.h>

#include "console_out.h"

#define MS 1000000ULL
#define S (1000 * MS)
/* What a connection keeps granted: two rings and every RX page. */
#define BASE_GRANTS (2 + NET_RX_RING_SIZE)

static struct dtinfo dt;
static size_t heap_before;

/* Frames the backend handed to its TX hook, in order. */
static struct {
	unsigned int count;
	size_t len[2048];
	uint32_t sum[2048];
} sent;

static const uint8_t MAC0[6] = {0x00, 0x16, 0x3e, 0x01, 0x02, 0x03};
static const uint8_t MAC1[6] = {0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c};

static uint32_t fnv(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h = (h ^ p[i]) * 16777619u;
	}
	return h;
}

static void on_tx(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	if (sent.count < 2048) {
		sent.len[sent.count] = len;
		sent.sum[sent.count] = fnv(frame, len);
	}
	sent.count++;
}

/* Frame @n: a size from 14 to 1514 and bytes that depend on @n. */
static size_t make_frame(uint8_t *f, unsigned int n)
{
	size_t len = 14 + (n * 97u) % 1501u;

	for (size_t i = 0; i < len; i++) {
		f[i] = (uint8_t)(n * 31u + i * 7u + (i >> 8));
	}
	return len;
}

static int world_setup(void **state)
{
	uint64_t size;

	(void)state;
	memset(&sent, 0, sizeof(sent));
	assert_int_equal(sim_init(NULL), 0);
	const void *fdt = sim_fdt(&size);
	assert_int_equal(dtinfo_parse(fdt, size, &dt), 0);
	dtinfo_set(&dt);
	memmap_reset();
	assert_int_equal(pvcons_init_from_hvm(), 0);
	assert_int_equal(shinfo_map(&dt), 0);
	evtchn_init();
	assert_int_equal(gnttab_init(&dt), 0);
	assert_int_equal(sim_xs_start(), 0);
	assert_int_equal(xs_init(), 0);
	heap_before = sim_heap_used();
	return 0;
}

static int world_teardown(void **state)
{
	unsigned int reset, failed;

	(void)state;
	int rc = netfront_shutdown_report(&reset, &failed);
	(void)rc; /* a test that failed half way may leave anything */
	memmap_reset();
	console_set(NULL);
	xs_detach();
	(void)gnttab_unmap_all();
	(void)shinfo_unmap();
	sim_reset();
	return 0;
}

static struct sim_netback *add_vif(unsigned int handle, const uint8_t mac[6])
{
	struct sim_netback_config cfg = {.handle = handle};

	memcpy(cfg.mac, mac, 6);
	struct sim_netback *nb = sim_netback_add(&cfg);
	assert_non_null(nb);
	sim_netback_set_tx_hook(nb, on_tx, NULL);
	return nb;
}

static struct netdev *one_vif(struct sim_netback **nb)
{
	*nb = add_vif(0, MAC0);
	assert_int_equal(netfront_probe_all(), 1);
	struct netdev *dev = netdev_find("eth0");
	assert_non_null(dev);
	return dev;
}

static void front_key(unsigned int handle, const char *key, char *value, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/%s", SIM_GUEST_DOMID, handle,
		 key);
	if (sim_xs_read(path, value, size)) {
		value[0] = '\0';
	}
}

static void back_state(unsigned int handle, char *value, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/%u/state", SIM_GUEST_DOMID,
		 handle);
	assert_int_equal(sim_xs_read(path, value, size), 0);
}

/* Reclaim sent frames (and take a received one, if any). */
static void drain(struct netdev *dev)
{
	uint8_t rx[NETDEV_FRAME_MAX];
	size_t got;
	int rc = netdev_poll(dev, rx, sizeof(rx), &got);

	assert_true(rc == 0 || rc == -EAGAIN);
}

/* Send @frame, polling (to reclaim) and waiting while the TX buffers are full. */
static int send_frame(struct netdev *dev, const uint8_t *frame, size_t len)
{
	for (unsigned int tries = 0; tries < 1000; tries++) {
		int rc = netdev_send(dev, frame, len);
		if (rc != -EAGAIN) {
			return rc;
		}
		drain(dev);
		netdev_wait(dev, arch_time_ns() + MS);
	}
	return -ETIMEDOUT;
}

/* Receive one frame within @timeout_ns: 0, -ETIMEDOUT, or the poll's error. */
static int recv_frame(struct netdev *dev, uint8_t *buf, size_t *len, uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;

	for (;;) {
		int rc = netdev_poll(dev, buf, NETDEV_FRAME_MAX, len);
		if (rc != -EAGAIN) {
			return rc;
		}
		if (arch_time_ns() >= deadline) {
			return -ETIMEDOUT;
		}
		netdev_wait(dev, deadline);
	}
}

static void test_handshake(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	char v[32];

	assert_memory_equal(dev->mac, MAC0, 6);
	assert_int_equal(netfront_count(), 1);
	assert_int_equal(sim_netback_state(nb), XenbusStateConnected);
	assert_true(sim_netback_is_mapped(nb));
	front_key(0, "request-rx-copy", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "feature-rx-notify", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "feature-no-csum-offload", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "4");
	front_key(0, "event-channel", v, sizeof(v));
	assert_true(v[0] != '\0');
	/* The backend found a full RX ring of granted pages. */
	sim_wait(arch_time_ns() + MS);
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	/* A second probe connects nothing twice. */
	assert_int_equal(netfront_probe_all(), 1);
	assert_int_equal(netdev_count(), 1);
}

static void test_tx_frames_and_reclaim(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX];
	
	/* More frames than TX buffers and ring slots: both wrap. */
	for (unsigned int n = 0; n < 1500; n++) {
		size_t len = make_frame(f, n);
		assert_int_equal(send_frame(dev, f, len), 0);
	}
	drain(dev);
	sim_wait(arch_time_ns() + MS);
	drain(dev);
	assert_int_equal(sent.count, 1500);
	for (unsigned int n = 0; n < 1500; n++) {
		size_t len = make_frame(f, n);
		assert_int_equal(sent.len[n], len);
		assert_int_equal(sent.sum[n], fnv(f, len));
	}
	assert_true(dev->stats.tx_frames == 1500);
	/* Every frame's grant ended once it was answered. */
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	assert_false(dev->is_broken);
}

static void test_tx_buffers_come_back(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[64] = {0}, rx[NETDEV_FRAME_MAX];
	size_t got;
	unsigned int queued = 0;

	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	while (netdev_send(dev, f, sizeof(f)) == 0) {
		queued++;
	}
	/* Each frame in flight holds its own read-only grant. */
	assert_int_equal(queued, 64);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS + 64);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), -EAGAIN);
	sim_netback_fault(nb, SIM_NB_OK, 0, 0);
	sim_wait(arch_time_ns() + MS);
	assert_int_equal(netdev_poll(dev, rx, sizeof(rx), &got), -EAGAIN);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
	assert_int_equal(sent.count, 64);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), 0);
}

static void test_tx_stall_breaks_after_10s(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[64] = {0};

	sim_netback_fault(nb, SIM_NB_TX_STALL, 0, 0);
	while (netdev_send(dev, f, sizeof(f)) == 0) {
	}
	sim_time_advance(9 * S);
	assert_int_equal(netdev_send(dev, f, sizeof(f)), -EAGAIN);
	sim_time_advance(2 * S);
	sim_console_output_clear();
	assert_int_equal(netdev_send(dev, f, sizeof(f)), -EIO);
	assert_true(dev->is_broken);
	assert_out_has("eth0: no sent frame answered for 10 s");
}

static void test_rx_frames_ring_kept_full(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	size_t got;

	/* More frames than the ring holds, queued at once. */
	for (unsigned int n = 0; n < 500; n++) {
		assert_int_equal(sim_netback_inject(nb, f, make_frame(f, n)), 0);
	}
	for (unsigned int n = 0; n < 500; n++) {
		size_t len = make_frame(f, n);
		assert_int_equal(recv_frame(dev, rx, &got, S), 0);
		assert_int_equal(got, len);
		assert_memory_equal(rx, f, len);
	}
	assert_int_equal(recv_frame(dev, rx, &got, 10 * MS), -ETIMEDOUT);
	assert_true(dev->stats.rx_frames == 500);
	assert_int_equal(sim_netback_stats(nb)->rx_posted_max, NET_RX_RING_SIZE);
	/* Every page went back to the backend. */
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
}

static void test_rx_offset_and_multi_slot(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[SIM_NB_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	struct netfront_stats before, after;
	size_t got;

	netfront_stats_get(&before);
	/* A frame at the end of its page. */
	sim_netback_rx_layout(nb, 2582, 0, 0);
	size_t len = 1514; /* fits exactly */
	for (size_t i = 0; i < len; i++) {
		f[i] = (uint8_t)(i * 13 + (i >> 8));
	}
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	assert_memory_equal(rx, f, len);
	/* The same frame in 4 slots of 400 bytes (NETRXF_more_data). */
	sim_netback_rx_layout(nb, 100, 400, 0);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	assert_memory_equal(rx, f, len);
	/* Larger than any frame we take: dropped whole, then the next one is fine. */
	memset(f, 0x5a, 3000);
	assert_int_equal(sim_netback_inject(nb, f, 3000), 0);
	len = make_frame(f, 7);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	assert_memory_equal(rx, f, len);
	netfront_stats_get(&after);
	assert_true(after.rx_multi_slot - before.rx_multi_slot == 2);
	assert_true(after.rx_oversize - before.rx_oversize == 1);
	assert_true(dev->stats.rx_dropped == 1);
	assert_false(dev->is_broken);
	assert_int_equal(sim_netback_rx_posted(nb), NET_RX_RING_SIZE);
}

/* An IPv4/UDP frame 10.0.0.1:1000 -> 10.0.0.2:69 with a 5-byte payload. */
static size_t udp_frame(uint8_t *f)
{
	static const uint8_t head[] = {
	    0x00, 0x16, 0x3e, 0x01, 0x02, 0x03, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	    0x45, 0x00, 0x00, 0x21, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 10,   0,
	    0,	  1,    10,   0,    0,    2,    0x03, 0xe8, 0x00, 0x45, 0x00, 0x0d, 0x00, 0x00,
	    'h',  'e',  'l',  'l',  'o'};

	memcpy(f, head, sizeof(head));
	return sizeof(head);
}

static uint16_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	}
	if (len & 1) {
		sum += (uint32_t)p[len - 1] << 8;
	}
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

static void test_rx_csum_blank_filled(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[128], rx[NETDEV_FRAME_MAX];
	size_t got, len = udp_frame(f);

	sim_netback_rx_layout(nb, 0, 0, NETRXF_CSUM_BLANK | NETRXF_DATA_VALIDATED);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, len);
	/* The UDP checksum now verifies: pseudo header + segment sums to 0xffff. */
	uint8_t pseudo[12] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 17, 0, 13};
	assert_int_not_equal(rx[40] | rx[41], 0);
	assert_int_equal(sum16(rx + 34, 13, sum16(pseudo, 12, 0)), 0xffff);
	assert_memory_equal(rx, f, 40);
	/* Not IPv4: left as it came. */
	f[12] = 0x86;
	f[13] = 0xdd;
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_memory_equal(rx, f, len);
}

static void test_honest_errors_drop_only(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	struct netfront_stats before, after;
	size_t got, len = make_frame(f, 3);

	netfront_stats_get(&before);
	sim_netback_fault(nb, SIM_NB_RX_ERROR, 0, 1);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(recv_frame(dev, rx, &got, 10 * MS), -ETIMEDOUT);
	assert_true(dev->stats.rx_frames == 1 && dev->stats.rx_dropped == 1);
	sim_netback_fault(nb, SIM_NB_TX_ERROR, 0, 1);
	assert_int_equal(send_frame(dev, f, len), 0);
	assert_int_equal(send_frame(dev, f, len), 0);
	sim_wait(arch_time_ns() + MS);
	drain(dev);
	assert_int_equal(sent.count, 1);
	netfront_stats_get(&after);
	assert_true(after.rx_errors - before.rx_errors == 1);
	assert_true(after.tx_errors - before.tx_errors == 1);
	assert_false(dev->is_broken);
	assert_int_equal(sim_gnttab_active_count(), BASE_GRANTS);
}

/* Every hostile knob: one message, broken, -EIO from then on, and the
 * teardown still hands the vif back with no grant left. */
static void test_hostile_backends(void **state)
{
	static const struct {
		enum sim_netback_fault fault;
		const char *why;
	} cases[] = {
	    {SIM_NB_RX_BAD_ID, "RX response id is not its slot's posted page"},
	    {SIM_NB_RX_DUP_ID, "RX response id is not its slot's posted page"},
	    {SIM_NB_RX_BAD_OFFSET, "RX response offset + size lies outside the page"},
	    {SIM_NB_RX_BAD_STATUS, "RX response status is not one netif defines"},
	    {SIM_NB_RX_EXTRA, "RX extra-info slot we never asked for"},
	    {SIM_NB_RX_PROD_JUMP, "RX response producer jumped past the pages posted"},
	    {SIM_NB_TX_BAD_ID, "TX response id names no frame in flight"},
	    /* One frame in flight, two answers: the producer check sees it first. */
	    {SIM_NB_TX_DUP_ID, "TX response producer jumped past the frames sent"},
	    {SIM_NB_TX_BAD_STATUS, "TX response status is not one netif defines"},
	    {SIM_NB_TX_PROD_JUMP, "TX response producer jumped past the frames sent"},
	    {SIM_NB_TX_KEEP_MAP, "backend still maps a sent frame it answered"},
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
		size_t got, len = make_frame(f, i);
		struct sim_netback *nb;
		unsigned int reset, failed;

		if (i) {
			world_teardown(state);
			world_setup(state);
		}
		struct netdev *dev = one_vif(&nb);
		sim_netback_fault(nb, cases[i].fault, 0, 1);
		sim_console_output_clear();
		assert_int_equal(sim_netback_inject(nb, f, len), 0);
		int rc = 0;
		for (unsigned int k = 0; k < 8 && rc != -EIO; k++) {
			rc = netdev_send(dev, f, len);
			int prc = recv_frame(dev, rx, &got, 10 * MS);
			rc = prc == -EIO ? prc : rc;
		}
		if (rc != -EIO) {
			fail_msg("case %u: never broken", i);
		}
		assert_true(dev->is_broken);
		assert_out_has(cases[i].why);
		assert_int_equal(netdev_send(dev, f, len), -EIO);
		assert_int_equal(netdev_poll(dev, rx, sizeof(rx), &got), -EIO);
		/* One message, however often it is used afterwards. */
		const char *first = strstr(out(), "not used again");
		assert_non_null(first);
		assert_null(strstr(first + 1, "not used again"));
		int rc2 = netfront_shutdown_report(&reset, &failed);
		if (cases[i].fault == SIM_NB_TX_KEEP_MAP) {
			/* That page is lost for good, recorded, kept from the OS. */
			assert_int_equal(rc2, -EBUSY);
			assert_true(memmap_count() > 0);
			continue;
		}
		assert_int_equal(rc2, 0);
		assert_int_equal(reset, 1);
		assert_int_equal(sim_gnttab_active_count(), 0);
		assert_int_equal(sim_netback_state(nb), XenbusStateInitWait);
	}
}

static void test_rx_stall_bounded(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[64] = {0}, rx[NETDEV_FRAME_MAX];
	size_t got;

	sim_netback_fault(nb, SIM_NB_RX_STALL, 0, 0);
	assert_int_equal(sim_netback_inject(nb, f, sizeof(f)), 0);
	uint64_t t0 = arch_time_ns();
	assert_int_equal(recv_frame(dev, rx, &got, 2 * S), -ETIMEDOUT);
	/* The wait let time pass (gave the CPU back) and ended at its deadline. */
	assert_true(arch_time_ns() - t0 >= 2 * S && arch_time_ns() - t0 < 3 * S);
	assert_false(dev->is_broken);
	sim_netback_fault(nb, SIM_NB_OK, 0, 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_int_equal(got, sizeof(f));
}

/* After the teardown: Initialising / InitWait, no keys, grants, ports,
 * pages or watches of ours; and the vif connects again. */
static void test_teardown_and_reconnect(void **state)
{
	struct sim_netback *nb;
	struct netdev *dev = one_vif(&nb);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	unsigned int reset, failed;
	char v[32];
	size_t got;

	size_t len = make_frame(f, 1);
	assert_int_equal(send_frame(dev, f, len), 0);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	front_key(0, "event-channel", v, sizeof(v));
	evtchn_port_t port = (evtchn_port_t)atoi(v);
	assert_true(sim_evtchn_is_open(port));

	assert_int_equal(netfront_shutdown_report(&reset, &failed), 0);
	assert_int_equal(reset, 1);
	assert_int_equal(failed, 0);
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	back_state(0, v, sizeof(v));
	assert_string_equal(v, "2");
	static const char *const keys[] = {"tx-ring-ref", "rx-ring-ref", "event-channel",
					   "request-rx-copy", "feature-rx-notify"};
	for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++) {
		front_key(0, keys[i], v, sizeof(v));
		assert_string_equal(v, "");
	}
	assert_false(sim_netback_is_mapped(nb));
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_false(sim_evtchn_is_open(port));
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(sim_heap_used(), heap_before);
	assert_int_equal(netdev_count(), 0);
	assert_int_equal(netfront_count(), 0);

	assert_int_equal(netfront_probe_all(), 1);
	dev = netdev_find("eth0");
	assert_non_null(dev);
	assert_int_equal(sim_netback_stats(nb)->connects, 2);
	assert_int_equal(sim_netback_inject(nb, f, len), 0);
	assert_int_equal(recv_frame(dev, rx, &got, S), 0);
	assert_memory_equal(rx, f, len);
}

static void test_backend_never_closes(void **state)
{
	struct sim_netback *nb;
	unsigned int reset, failed;
	struct netfront_stats before, after;
	char v[32];

	one_vif(&nb);
	netfront_stats_get(&before);
	sim_netback_fault(nb, SIM_NB_NO_CLOSE, 0, 0);
	sim_console_output_clear();
	uint64_t t0 = arch_time_ns();
	assert_int_equal(netfront_shutdown_report(&reset, &failed), -ETIMEDOUT);
	assert_true(arch_time_ns() - t0 <= 11 * S);
	assert_int_equal(failed, 1);
	assert_out_has("eth0: backend did not reach Closed");
	/* Its pages stay granted and out of everyone's reach. */
	netfront_stats_get(&after);
	assert_true(after.lost_pages - before.lost_pages == 2 + NET_RX_RING_SIZE + 32);
	assert_true(memmap_count() > 0);
	assert_int_equal(memmap_at(0)->kind, MEMMAP_LOST);
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "6");
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(netdev_count(), 0);
}

static void test_refused_devices_leave_nothing(void **state)
{
	struct sim_netback_config bad_mac = {.handle = 0, .mac_text = "00:16:3e:zz:00:01"};
	struct sim_netback_config multicast = {.handle = 1, .mac = {0x01, 0, 0x5e, 0, 0, 1}};
	struct sim_netback_config no_copy = {.handle = 2, .mac = {0, 0x16, 0x3e, 0, 0, 2}};
	char v[32];

	no_copy.no_rx_copy = true;
	assert_non_null(sim_netback_add(&bad_mac));
	assert_non_null(sim_netback_add(&multicast));
	assert_non_null(sim_netback_add(&no_copy));
	sim_console_output_clear();
	assert_int_equal(netfront_probe_all(), 0);
	assert_out_has("device/vif/0: no usable mac");
	assert_out_has("device/vif/1: no usable mac");
	assert_out_has("cannot copy frames to us (feature-rx-copy)");
	front_key(2, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	front_key(2, "tx-ring-ref", v, sizeof(v));
	assert_string_equal(v, "");
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_int_equal(sim_heap_used(), heap_before);
	assert_int_equal(sim_xs_stats()->watches, 0);
	assert_int_equal(netdev_count(), 0);
}

static void test_two_vifs_and_net_list(void **state)
{
	struct sim_netback *nb0 = add_vif(0, MAC0), *nb1 = add_vif(1, MAC1);
	uint8_t f[NETDEV_FRAME_MAX], rx[NETDEV_FRAME_MAX];
	size_t got, len = make_frame(f, 9);

	assert_int_equal(netfront_probe_all(), 2);
	struct netdev *eth1 = netdev_find("eth1");
	assert_non_null(eth1);
	assert_memory_equal(eth1->mac, MAC1, 6);
	assert_int_equal(sim_netback_inject(nb1, f, len), 0);
	assert_int_equal(recv_frame(eth1, rx, &got, S), 0);
	assert_int_equal(recv_frame(netdev_find("eth0"), rx, &got, 10 * MS), -ETIMEDOUT);
	(void)nb0;

	char *argv[] = {"net", "list", NULL};
	sim_console_output_clear();
	assert_int_equal(cmd_find("net")->run(2, argv), 0);
	assert_out_has("eth0 : device/vif/0 00:16:3e:01:02:03 active\n");
	assert_out_has("eth1 : device/vif/1 00:16:3e:0a:0b:0c\n");
	assert_out_has("backend /local/domain/0/backend/vif/7/1 (domain 0), rx 256/256 pages "
		       "posted, tx 0/64 in flight, sg no\n");
	assert_out_has("rx 1 frames");
	char *bad[] = {"net", "show", NULL};
	assert_int_equal(cmd_find("net")->run(2, bad), CMD_RET_USAGE);
}

/* boot/handoff.c hands every vif back before the jump. */
static void test_handoff_resets_vifs(void **state)
{
	struct sim_netback *nb;
	char v[32];

	one_vif(&nb);
	sim_console_output_clear();
	assert_int_equal(handoff_xen(), 0);
	assert_out_has("handoff: 0 vbds reset, 1 vif reset, 1 event channel closed");
	front_key(0, "state", v, sizeof(v));
	assert_string_equal(v, "1");
	assert_int_equal(sim_netback_state(nb), XenbusStateInitWait);
	assert_int_equal(sim_gnttab_active_count(), 0);
	assert_int_equal(netdev_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_handshake, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_frames_and_reclaim, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_buffers_come_back, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_stall_breaks_after_10s, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_frames_ring_kept_full, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_offset_and_multi_slot, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_csum_blank_filled, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_honest_errors_drop_only, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_hostile_backends, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_stall_bounded, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_teardown_and_reconnect, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_backend_never_closes, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_refused_devices_leave_nothing, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_two_vifs_and_net_list, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_handoff_resets_vifs, world_setup,
					    world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
