/* Grant table v1 (public/grant_table.h; xen-abi.md §2, §3, §4). arm has only v1. */
#ifndef XEN_ABI_GRANT_TABLE_H
#define XEN_ABI_GRANT_TABLE_H

#include <xen/abi/xen.h>

#define GNTTABOP_setup_table 2
#define GNTTABOP_query_size 6

typedef uint32_t grant_ref_t;

struct grant_entry_v1 {
	uint16_t flags;
	domid_t domid;
	uint32_t frame;
};

#define GTF_invalid 0
#define GTF_permit_access 1
#define GTF_type_mask 3
#define GTF_readonly (1U << 2)
#define GTF_reading (1U << 3)
#define GTF_writing (1U << 4)

#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_ENTRIES_PER_FRAME (4096 / sizeof(struct grant_entry_v1))

struct gnttab_query_size {
	domid_t dom;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
};

#endif
