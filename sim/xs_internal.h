/* Private interfaces of the simulated xenstored (sim/xenstored.c,
 * sim/xs_tree.c, sim/xs_backend.c). */
#ifndef SIM_XS_INTERNAL_H
#define SIM_XS_INTERNAL_H

#include "internal.h"

#include <sim/xenstore.h>
#include <xen/abi/xs_wire.h>

#define SIM_XS_PATH_MAX 3200

struct sim_xs_node {
	char *path; /* absolute, no trailing '/' */
	char *value; /* NULL: no value (a directory made by mkdir or a write below) */
	size_t len;
};

struct sim_xs_tree {
	struct sim_xs_node *nodes;
	size_t count, cap;
};

bool sim_xs_tree_has(struct sim_xs_tree *t, const char *path);
int sim_xs_tree_write(struct sim_xs_tree *t, const char *path, const char *value, size_t len);
int sim_xs_tree_mkdir(struct sim_xs_tree *t, const char *path);
/** The value of @path (NUL-terminated, "" if none) or NULL if absent. */
const char *sim_xs_tree_read(struct sim_xs_tree *t, const char *path, size_t *len);
/** Remove @path and everything below; -XEN_ENOENT if absent. */
int sim_xs_tree_rm(struct sim_xs_tree *t, const char *path);
/** Child names of @path, each with a NUL, into @out. */
int sim_xs_tree_children(struct sim_xs_tree *t, const char *path, char *out, size_t size,
			 size_t *len);
int sim_xs_tree_copy(struct sim_xs_tree *dst, struct sim_xs_tree *src);
void sim_xs_tree_free(struct sim_xs_tree *t);

/* ---- the server (sim/xenstored.c) and its request handling (sim/xs_proto.c) ---- */
#define SIM_XS_MAX_TX 8
#define SIM_XS_MAX_WATCHES 32
#define SIM_XS_MAX_HOOKS 16
#define SIM_XS_HDR sizeof(struct xsd_sockmsg)

struct sim_tx {
	uint32_t id;
	uint64_t gen_start; /* generation of the store when it started */
	struct sim_xs_tree tree; /* private copy, committed whole */
	bool is_used;
};

struct sim_xsd {
	bool is_up;
	struct sim_xs_tree tree;
	uint64_t generation; /* bumped by every committed change */
	uint32_t next_tx;
	struct sim_tx txs[SIM_XS_MAX_TX];
	struct {
		char *path, *token;
	} watches[SIM_XS_MAX_WATCHES];
	struct {
		char prefix[128];
		void (*fn)(const char *path, void *ctx);
		void *ctx;
	} hooks[SIM_XS_MAX_HOOKS];
	char changed[8][SIM_XS_PATH_MAX]; /* guest changes of this request, for hooks */
	unsigned int changed_count;
	unsigned char in[SIM_XS_HDR + XENSTORE_PAYLOAD_MAX];
	size_t in_have;
	unsigned char *out;
	size_t out_len, out_cap;
	enum sim_xs_fault fault;
	unsigned int fault_count;
	char error_name[16];
	size_t trickle;
	uint64_t pfn_at, connect_at;
	struct sim_xs_stats stats;
};

extern struct sim_xsd sim_xsd;


/* The reply to one request, before faults: type and payload, or an errno. */
struct sim_xs_reply {
	uint32_t type;
	int err;
	int new_watch; /* slot of a watch this request added, or -1 */
	char body[XENSTORE_PAYLOAD_MAX];
	size_t len;
};

void sim_xsd_set_body(struct sim_xs_reply *r, const char *s, size_t len);
/** Handle one request (@body NUL-terminated by the server) into @r. */
void sim_xsd_process(const struct xsd_sockmsg *h, char *body, struct sim_xs_reply *r);
/** A committed change at @abs: generation, watches, and hooks if the guest did it. */
void sim_xsd_note_change(const char *abs, bool is_guest);
/** True (once per count) if @f is the active fault. */
bool sim_xsd_fault_take(enum sim_xs_fault f);
void sim_xsd_to_absolute(const char *path, char *abs, size_t size);

#endif
