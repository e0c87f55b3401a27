/* Network interface (public/io/netif.h; facts only, our own definitions),
 * arm64 layout. Two rings share one event channel unless the backend
 * offers split channels (we do not ask): TX carries the guest's frames out,
 * RX hands the backend empty granted pages that it fills (copy mode,
 * "request-rx-copy" = 1) and answers with where the frame landed. */
#ifndef XEN_ABI_NETIF_H
#define XEN_ABI_NETIF_H

#include <stdint.h>
#include <xen/abi/grant_table.h>
#include <xen/abi/ring.h>

/* TX request flags (NETTXF_*). */
#define NETTXF_CSUM_BLANK (1u << 0) /* L4 checksum left for the backend */
#define NETTXF_DATA_VALIDATED (1u << 1)
#define NETTXF_MORE_DATA (1u << 2) /* the frame continues in the next slot */
#define NETTXF_EXTRA_INFO (1u << 3) /* an extra-info slot follows */

/* RX response flags (NETRXF_*): note the first two swap places with TX's. */
#define NETRXF_DATA_VALIDATED (1u << 0)
#define NETRXF_CSUM_BLANK (1u << 1)
#define NETRXF_MORE_DATA (1u << 2)
#define NETRXF_EXTRA_INFO (1u << 3)

/* Response status: negative an error, for RX a positive value is the size. */
#define NETIF_RSP_DROPPED (-2)
#define NETIF_RSP_ERROR (-1)
#define NETIF_RSP_OKAY 0
#define NETIF_RSP_NULL 1 /* the answer to an extra-info slot */

/* Slots a backend must accept for one frame without negotiation. */
#define XEN_NETIF_NR_SLOTS_MIN 18

/* 12 bytes: the first slot's size is the whole frame's, the others their own. */
struct netif_tx_request {
	grant_ref_t gref;
	uint16_t offset;
	uint16_t flags;
	uint16_t id;
	uint16_t size;
};

struct netif_tx_response {
	uint16_t id;
	int16_t status;
};

struct netif_rx_request {
	uint16_t id;
	uint16_t pad;
	grant_ref_t gref;
};

/* 8 bytes: status > 0 is this slot's byte count at @offset of the page. */
struct netif_rx_response {
	uint16_t id;
	uint16_t offset;
	uint16_t flags;
	int16_t status;
};

/* The slot unions of the two rings and their sizes. */
union netif_tx_sring_entry {
	struct netif_tx_request req;
	struct netif_tx_response rsp;
};

union netif_rx_sring_entry {
	struct netif_rx_request req;
	struct netif_rx_response rsp;
};

#define NETIF_TX_ENTRY_SIZE 12u
#define NETIF_RX_ENTRY_SIZE 8u
/* One page each: (4096 - 64) / 12 and / 8, rounded down to a power of two. */
#define NET_TX_RING_SIZE 256u
#define NET_RX_RING_SIZE 256u

#endif
