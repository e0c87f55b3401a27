/* Block interface (public/io/blkif.h; xen-abi.md §6), arm64 layout.
 *
 * Units: sector_number, first_sect and last_sect are ALWAYS 512-byte units,
 * whatever the backend's "sector-size" says (Xen commit 221f2748e8);
 * sector-size only sets the alignment and granularity of requests. */
#ifndef XEN_ABI_BLKIF_H
#define XEN_ABI_BLKIF_H

#include <stdint.h>
#include <xen/abi/grant_table.h>
#include <xen/abi/ring.h>

#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_OP_RESERVED_1 4
#define BLKIF_OP_DISCARD 5
#define BLKIF_OP_INDIRECT 6

#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_ERROR (-1)
#define BLKIF_RSP_OKAY 0

/* The fixed unit of sector_number and first/last_sect. */
#define BLKIF_SECTOR_SIZE 512u
#define BLKIF_SECTORS_PER_PAGE 8u

/* Direct requests carry at most 11 segments: 44 KiB. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* An indirect request names up to 8 pages of segment descriptors. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* VDISK_* bits of the backend's "info" key. */
#define VDISK_CDROM 1u
#define VDISK_REMOVABLE 2u
#define VDISK_READONLY 4u

/* The protocol string an arm guest writes (public/io/protocols.h). */
#define XEN_IO_PROTO_ABI_ARM "arm-abi"

/* One page of the request: sectors first_sect..last_sect of page @gref. */
struct blkif_request_segment {
	grant_ref_t gref;
	uint8_t first_sect;
	uint8_t last_sect;
	uint16_t pad;
};

/* 4096 / 8: descriptors in one indirect page. */
#define BLKIF_SEGS_PER_INDIRECT_FRAME 512u

struct blkif_request {
	uint8_t operation;
	uint8_t nr_segments;
	uint16_t handle;
	uint32_t pad;
	uint64_t id;
	uint64_t sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

struct blkif_request_discard {
	uint8_t operation;
	uint8_t flag;
	uint16_t handle;
	uint32_t pad;
	uint64_t id;
	uint64_t sector_number;
	uint64_t nr_sectors;
};

struct blkif_request_indirect {
	uint8_t operation; /* BLKIF_OP_INDIRECT */
	uint8_t indirect_op;
	uint16_t nr_segments;
	uint32_t pad;
	uint64_t id;
	uint64_t sector_number;
	uint16_t handle;
	uint16_t pad2;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

struct blkif_response {
	uint64_t id;
	uint8_t operation;
	uint8_t pad;
	int16_t status;
};

/* One ring slot: the union of DEFINE_RING_TYPES(blkif, ...). */
union blkif_sring_entry {
	struct blkif_request req;
	struct blkif_request_indirect ind;
	struct blkif_request_discard discard;
	struct blkif_response rsp;
};

#define BLKIF_RING_ENTRY_SIZE 112u

#endif
