/*
 * RPC commands of ims_ipsec_failover_scscf: inspect the record store.
 * Records are shown by their clear index fields; the sealed text only by
 * its length (it is ciphertext, but it has no use on a console and output
 * of this kind ends up in tickets and logs).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/rpc.h"
#include "core/rpc_lookup.h"

#include "ifo/ifo_record.h"

#include "ifo_keys.h"
#include "ifs_moves.h"
#include "ifs_rpc.h"
#include "ifs_store.h"

#define IFS_RPC_PAGE 64

typedef struct rpc_out
{
	rpc_t *rpc;
	void *ctx;
	int n;
} rpc_out_t;

/* Runs under the record's slot lock: only builds the reply. */
static int rpc_rec_cb(const ifs_rec_t *r, void *param)
{
	rpc_out_t *o = (rpc_out_t *)param;
	char gen[24];
	void *th;

	/* a decimal string: kamcmd's binrpc carries 64-bit numbers as
	 * doubles, which would round a generation */
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)r->generation);
	if(o->rpc->add(o->ctx, "{", &th) < 0)
		return -1;
	if(o->rpc->struct_add(th, "SSSSsuudd", "contact", &r->contact, "aor",
			   &r->aor, "node", &r->node, "keyid", &r->keyid, "generation", gen,
			   "expires", (unsigned int)r->expires, "record_expires",
			   (unsigned int)r->rec_expires, "record_length", r->text.len,
			   "confirmed", r->confirmed)
			< 0)
		return -1;
	o->n++;
	return 0;
}

static const char *ifs_rpc_list_doc[] = {
		"List stored records (contact, aor, node, keyid, generation, "
		"expires, record_expires, record_length, confirmed); optional "
		"parameter: origin node id to list only its records.",
		0};

static void ifs_rpc_list(rpc_t *rpc, void *ctx)
{
	rpc_out_t o = {rpc, ctx, 0};
	unsigned int cursor = 0, next;
	str node = STR_NULL;
	const str *filter = NULL;

	/* '.': kamcmd sends a node id of digits (a valid one) as an integer;
	 * without conversion binrpc's scan returns 0 for it, as for no
	 * parameter, and everything would be listed */
	int rc = rpc->scan(ctx, "*.S", &node);

	if(rc < 0) {
		rpc->fault(ctx, 400, "Node id must be a string");
		return;
	}
	if(rc == 1) {
		if(!ifo_token_valid(node.s, node.len < 0 ? 0 : node.len, IFO_NODE_MAX)) {
			rpc->fault(ctx, 400,
					"Invalid node id: 1 to %d characters of [A-Za-z0-9._-]",
					IFO_NODE_MAX);
			return;
		}
		filter = &node;
	}
	do {
		if(ifs_store_page(filter, cursor, IFS_RPC_PAGE, rpc_rec_cb, &o, &next)
				< 0) {
			rpc->fault(ctx, 500, "Reply too large");
			return;
		}
		cursor = next;
	} while(cursor != 0);
}

static const char *ifs_rpc_show_doc[] = {
		"Show the stored record of a contact (the ims_usrloc_scscf "
		"contact URI).",
		0};

static void ifs_rpc_show(rpc_t *rpc, void *ctx)
{
	rpc_out_t o = {rpc, ctx, 0};
	str contact = STR_NULL;
	int rc;

	if(rpc->scan(ctx, "S", &contact) < 1 || contact.len <= 0) {
		rpc->fault(ctx, 400, "Contact URI required");
		return;
	}
	rc = ifs_store_get(&contact, rpc_rec_cb, &o);
	if(rc == 0)
		rpc->fault(ctx, 404, "No record for this contact");
	else if(rc < 0)
		rpc->fault(ctx, 500, "Internal error");
}

/* Per-node counters, accumulated in pkg memory over a walk. */
typedef struct node_count
{
	char node[IFO_NODE_MAX + 1];
	int n;
} node_count_t;

typedef struct counts
{
	node_count_t *v;
	int n, max;
	int total;
} counts_t;

static int counts_cb(const ifs_rec_t *r, void *param)
{
	counts_t *c = (counts_t *)param;
	node_count_t *nv;
	int i, len;

	c->total++;
	len = r->node.len > IFO_NODE_MAX ? IFO_NODE_MAX : r->node.len;
	for(i = 0; i < c->n; i++) {
		if(strncmp(c->v[i].node, r->node.s, len) == 0
				&& c->v[i].node[len] == '\0') {
			c->v[i].n++;
			return 0;
		}
	}
	if(c->n == c->max) {
		nv = pkg_realloc(c->v, (c->max ? 2 * c->max : 8) * sizeof(*nv));
		if(nv == NULL) {
			PKG_MEM_ERROR;
			return -1;
		}
		c->v = nv;
		c->max = c->max ? 2 * c->max : 8;
	}
	memcpy(c->v[c->n].node, r->node.s, len);
	c->v[c->n].node[len] = '\0';
	c->v[c->n].n = 1;
	c->n++;
	return 0;
}

static const char *ifs_rpc_counts_doc[] = {
		"Number of stored records per origin node, and the total.", 0};

static void ifs_rpc_counts(rpc_t *rpc, void *ctx)
{
	counts_t c;
	unsigned int cursor = 0, next;
	void *th, *nh;
	int i;

	memset(&c, 0, sizeof(c));
	do {
		if(ifs_store_page(NULL, cursor, IFS_RPC_PAGE, counts_cb, &c, &next)
				< 0) {
			rpc->fault(ctx, 500, "No memory");
			goto done;
		}
		cursor = next;
	} while(cursor != 0);
	if(rpc->add(ctx, "{", &th) < 0)
		goto done;
	if(rpc->struct_add(th, "d{", "total", c.total, "nodes", &nh) < 0)
		goto done;
	for(i = 0; i < c.n; i++)
		rpc->struct_add(nh, "d", c.v[i].node, c.v[i].n);
done:
	if(c.v)
		pkg_free(c.v);
}

static const char *ifs_rpc_keys_doc[] = {
		"Key ids of verify_key_file: records sealed under other ids are "
		"refused (rejected_auth).",
		0};

static const char *ifs_rpc_reload_keys_doc[] = {
		"Re-read verify_key_file; every process switches to it on its next "
		"use. A bad file is refused and the current keys stay in force.",
		0};

static rpc_export_t ifs_rpc_cmds[] = {
		{"ims_ipsec_failover_scscf.list", ifs_rpc_list, ifs_rpc_list_doc,
				RET_ARRAY},
		{"ims_ipsec_failover_scscf.show", ifs_rpc_show, ifs_rpc_show_doc, 0},
		{"ims_ipsec_failover_scscf.counts", ifs_rpc_counts, ifs_rpc_counts_doc,
				0},
		{"ims_ipsec_failover_scscf.moves", ifs_rpc_moves, ifs_rpc_moves_doc,
				RET_ARRAY},
		{"ims_ipsec_failover_scscf.keys", ifo_keys_rpc_list, ifs_rpc_keys_doc,
				RET_ARRAY},
		{"ims_ipsec_failover_scscf.reload_keys", ifo_keys_rpc_reload,
				ifs_rpc_reload_keys_doc, 0},
		{0, 0, 0, 0}};

int ifs_rpc_init(void)
{
	return rpc_register_array(ifs_rpc_cmds);
}
