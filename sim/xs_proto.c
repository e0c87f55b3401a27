/* Request handling of the simulated xenstored: what each message type
 * does to the tree, transactions and watches (docs/misc/xenstore.txt).
 * The ring side and the fault knobs are in sim/xenstored.c. */
#include "xs_internal.h"

#include <stdio.h>
#include <string.h>

static struct sim_tx *tx_find(uint32_t id)
{
	for (unsigned int i = 0; i < SIM_XS_MAX_TX; i++) {
		if (sim_xsd.txs[i].is_used && sim_xsd.txs[i].id == id) {
			return &sim_xsd.txs[i];
		}
	}
	return NULL;
}

void sim_xsd_set_body(struct sim_xs_reply *r, const char *s, size_t len)
{
	memcpy(r->body, s, len);
	r->len = len;
}

static void do_tx_start(struct sim_xs_reply *r)
{
	struct sim_tx *t = NULL;

	for (unsigned int i = 0; i < SIM_XS_MAX_TX && !t; i++) {
		t = sim_xsd.txs[i].is_used ? NULL : &sim_xsd.txs[i];
	}
	if (!t || sim_xs_tree_copy(&t->tree, &sim_xsd.tree)) {
		r->err = XEN_ENOSPC;
		return;
	}
	t->is_used = true;
	t->id = ++sim_xsd.next_tx + 40; /* not 1: catches clients that assume it */
	t->gen_start = sim_xsd.generation;
	sim_xsd.stats.transactions++;
	r->len = (size_t)snprintf(r->body, sizeof(r->body), "%u", t->id) + 1;
}

static void do_tx_end(struct sim_tx *t, const char *arg, struct sim_xs_reply *r)
{
	bool commit = strcmp(arg, "T") == 0;

	if (commit && (t->gen_start != sim_xsd.generation || sim_xsd_fault_take(SIM_XS_TX_EAGAIN))) {
		r->err = XEN_EAGAIN;
		sim_xsd.stats.eagain++;
		commit = false;
	}
	if (commit) {
		/* Fire for every node that differs, then swap in the copy. */
		for (size_t i = 0; i < t->tree.count; i++) {
			size_t l1, l2;
			const char *a = sim_xs_tree_read(&sim_xsd.tree, t->tree.nodes[i].path, &l1);
			const char *b = sim_xs_tree_read(&t->tree, t->tree.nodes[i].path, &l2);
			if (!a || l1 != l2 || memcmp(a, b, l1)) {
				sim_xsd_note_change(t->tree.nodes[i].path, true);
			}
		}
		sim_xs_tree_free(&sim_xsd.tree);
		sim_xsd.tree = t->tree;
		memset(&t->tree, 0, sizeof(t->tree));
	}
	sim_xs_tree_free(&t->tree);
	t->is_used = false;
	sim_xsd.stats.transactions--;
}

/* WATCH or UNWATCH; a new watch's slot goes to @r->new_watch. */
static void do_watch(uint32_t type, const char *path, const char *token, struct sim_xs_reply *r)
{
	int free_slot = -1;

	for (int i = 0; i < SIM_XS_MAX_WATCHES; i++) {
		if (!sim_xsd.watches[i].path) {
			free_slot = free_slot < 0 ? i : free_slot;
		} else if (!strcmp(sim_xsd.watches[i].path, path) && !strcmp(sim_xsd.watches[i].token, token)) {
			if (type == XS_WATCH) {
				r->err = XEN_EEXIST;
				return;
			}
			free(sim_xsd.watches[i].path);
			free(sim_xsd.watches[i].token);
			sim_xsd.watches[i].path = sim_xsd.watches[i].token = NULL;
			sim_xsd.stats.watches--;
			return;
		}
	}
	if (type == XS_UNWATCH || free_slot < 0) {
		r->err = type == XS_UNWATCH ? XEN_ENOENT : XEN_ENOSPC;
		return;
	}
	sim_xsd.watches[free_slot].path = strdup(path);
	sim_xsd.watches[free_slot].token = strdup(token);
	sim_xsd.stats.watches++;
	r->new_watch = free_slot;
}

/* READ, WRITE, MKDIR, RM, DIRECTORY on @t (the store or a transaction's copy). */
static void do_node_op(struct sim_xs_tree *t, bool is_tx, uint32_t type, const char *abs,
		       const char *val, size_t vlen, struct sim_xs_reply *r)
{
	size_t len;
	const char *v;

	switch (type) {
	case XS_READ:
		v = sim_xs_tree_read(t, abs, &len);
		if (!v) {
			r->err = XEN_ENOENT;
		} else {
			sim_xsd_set_body(r, v, len);
		}
		return;
	case XS_DIRECTORY:
		r->err = -sim_xs_tree_children(t, abs, r->body, sizeof(r->body), &r->len);
		return;
	case XS_WRITE:
	case XS_MKDIR:
		if (type == XS_MKDIR && sim_xs_tree_has(t, abs)) {
			return;
		}
		r->err = -(type == XS_WRITE ? sim_xs_tree_write(t, abs, val, vlen)
					    : sim_xs_tree_mkdir(t, abs));
		break;
	default: /* XS_RM */
		r->err = -sim_xs_tree_rm(t, abs);
		break;
	}
	if (!r->err && !is_tx) {
		sim_xsd_note_change(abs, true);
	}
}

void sim_xsd_process(const struct xsd_sockmsg *h, char *body, struct sim_xs_reply *r)
{
	char abs[SIM_XS_PATH_MAX];
	size_t plen = strnlen(body, h->len);
	struct sim_tx *t = NULL;

	r->type = h->type;
	r->new_watch = -1;
	if (h->tx_id && !(t = tx_find(h->tx_id))) {
		r->err = XEN_ESRCH;
		return;
	}
	switch (h->type) {
	case XS_TRANSACTION_START:
		do_tx_start(r);
		return;
	case XS_TRANSACTION_END:
		if (!t) {
			r->err = XEN_EINVAL;
		} else {
			do_tx_end(t, body, r);
		}
		break;
	case XS_WATCH:
	case XS_UNWATCH:
		do_watch(h->type, body, plen < h->len ? body + plen + 1 : "", r);
		break;
	case XS_READ:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_DIRECTORY:
		sim_xsd_to_absolute(body, abs, sizeof(abs));
		do_node_op(t ? &t->tree : &sim_xsd.tree, t != NULL, h->type, abs, body + plen + 1,
			   plen < h->len ? h->len - plen - 1 : 0, r);
		break;
	default:
		r->err = XEN_ENOSYS;
		break;
	}
	if (!r->err && r->len == 0 && h->type != XS_READ && h->type != XS_DIRECTORY) {
		sim_xsd_set_body(r, "OK", 3);
	}
}

