/*
 * Bulk takeover.
 *
 * Page by page: fetch, open (authenticated, bound to the contact the
 * S-CSCF holds the record for, not expired), skip what is already here,
 * install the kernel objects of the whole page in one batched call, then
 * the usrloc contacts, then hand the re-sealed records back as this
 * node's. Kernel objects go in before the contact: deleting a contact runs
 * ims_ipsec_pcscf's expiry callback, which removes SAs by SPI, and must
 * never hit a colliding SA that belongs to someone else.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/counters.h"

#include "ifo/ifo_page.h"
#include "ifo/ifo_seal.h"
#include "ifo_addrs.h"
#include "ifo_clock.h"
#include "ifo_config.h"
#include "ifo_export.h"
#include "ifo_fetch.h"
#include "ifo_keys.h"
#include "ifo_ports.h"
#include "ifo_shared.h"
#include "ifo_spi.h"
#include "ifo_stats.h"
#include "ifo_takeover.h"
#include "ifo_usrloc.h"
#include "ifo_netlink.h"

/* records asked for in the first fetch of a takeover */
#define IFO_FIRST_PAGE 10
/* bytes of claim lines per claim request */
#define IFO_CLAIM_REQ_MAX (24 * 1024)

typedef struct page_work
{
	int n;
	ifo_record_t *recs;
	const ifo_record_t **ptrs;
	ifo_page_entry_t *ents;
	uint32_t *oseq;
	int *err;
	char *claim;
	size_t claim_len, claim_size;
	int *claim_idx; /* the record (index in recs) of each claim line */
	char *claim_res; /* the S-CSCF's answer, one letter per line */
	int n_claim;
	/* UEs served here already, taken back: recs[size - n_back, size) */
	int size, n_back;
	ifo_addrs_t addrs; /* this node's addresses at the start */
	int moves;		   /* a run after the S-CSCF reported moves */
	uint64_t t0;	   /* the takeover's start */
} page_work_t;

int ifo_report_failed_open(const ifo_report_t *rep)
{
	int i, n = 0;

	for(i = 0; i < 16; i++)
		n += rep->open_failed[i];
	return n;
}

/* Highest start: leaves 2^28 numbers before the 32-bit counter (no ESN)
 * runs out, and the SAs are replaced at the next re-registration anyway. */
#define IFO_SEQ_START_MAX 0xf0000000u

/*
 * The new owner's outbound SAs start above anything an earlier owner of
 * this registration can have sent, assuming no owner sends seq_stride
 * packets or more to one UE over one SA (signalling never comes near
 * that within a registration). The start is the larger of:
 *  - (takeovers + 1) * seq_stride: the exporting node starts at 0 and
 *    every takeover increments the count the record carries, so each
 *    owner gets a stride of its own;
 *  - seq_hint + seq_stride: the hint is what the exporter's SAs had
 *    reached at export, or the start a previous taker used (the claim
 *    stores it), and that owner may have sent up to a stride past it.
 * Either way each taker starts at least a stride above the previous one,
 * until IFO_SEQ_START_MAX: past it a later taker reuses the same start
 * and the UE drops what it sends as replays until it re-registers.
 */
uint32_t ifo_start_seq(const ifo_record_t *r)
{
	uint64_t stride = ifo_cfg.seq_stride;
	uint64_t s = ((uint64_t)r->takeovers + 1) * stride;
	/* bounded first: an absurd hint must not wrap the sum */
	uint64_t hint =
			r->seq_hint < IFO_SEQ_START_MAX ? r->seq_hint : IFO_SEQ_START_MAX;

	if(hint + stride > s)
		s = hint + stride;
	return s > IFO_SEQ_START_MAX ? IFO_SEQ_START_MAX : (uint32_t)s;
}

int ifo_recovery_open(const ifo_keyring_t *kr, const char *text, size_t len,
		const char *contact, size_t contact_len, ifo_record_t *r)
{
	char c[IFO_URI_MAX + 1];
	int rc = IFO_ERR_FORMAT;

	memset(r, 0, sizeof(*r));
	if(contact_len <= IFO_URI_MAX) {
		memcpy(c, contact, contact_len);
		c[contact_len] = '\0';
		rc = ifo_open(kr, text, len, c, (uint64_t)time(NULL), r);
	}
	if(rc != IFO_OK)
		update_stat(ifo_st_open_failed, 1);
	return rc;
}

static int own_node(const char *node)
{
	return strlen(node) == (size_t)ifo_cfg.node_id.len
		   && memcmp(node, ifo_cfg.node_id.s, ifo_cfg.node_id.len) == 0;
}

int ifo_recovery_check(const ifo_record_t *r, const char *ctx)
{
	const ifo_ipsec_t *s = &r->ipsec;

	if(!ifo_ports_served(s->port_pc, s->port_ps)) {
		update_stat(ifo_st_ports_unserved, 1);
		LM_ERR("%s: %s not recovered: its P-CSCF ports %u/%u are not among "
			   "the protected ports this node listens on - pool members "
			   "need the same ipsec_client_port, ipsec_server_port and "
			   "ipsec_max_connections\n",
				ctx, r->contact, s->port_pc, s->port_ps);
		return IFO_RECOVER_PORTS;
	}
	if(ifo_spi_allocatable(s->spi_pc) || ifo_spi_allocatable(s->spi_ps)) {
		update_stat(ifo_st_spi_allocatable, 1);
		if(own_node(r->node))
			LM_ERR("%s: %s not recovered: its SPIs %u/%u are in the half of "
				   "this node's range ims_ipsec_pcscf hands out since this "
				   "start (it was recovered at the previous start and has "
				   "not registered since): a new UE could be given them. "
				   "It is reachable again once it re-registers\n",
					ctx, r->contact, s->spi_pc, s->spi_ps);
		else
			LM_ERR("%s: %s (node %s) not recovered: its SPIs %u/%u are in "
				   "the part of this node's range ims_ipsec_pcscf hands out "
				   "- pool members need disjoint ipsec_spi_id ranges\n",
					ctx, r->contact, r->node, s->spi_pc, s->spi_ps);
		return IFO_RECOVER_SPI;
	}
	return IFO_RECOVER_OK;
}

int ifo_recovery_install(ifo_xfrm_t *x, const ifo_record_t *const *recs,
		const uint32_t *oseq, int n, int *err)
{
	const ifo_record_t **again;
	uint32_t *aseq;
	int *aerr, *idx;
	int i, m = 0, rc, left = 0;

	rc = ifo_xfrm_install(x, recs, oseq, n, err);
	for(i = 0; i < n; i++)
		if(err[i] == -EEXIST)
			left++;
	if(left == 0)
		return rc;
	again = pkg_malloc(left * (sizeof(*again) + sizeof(*aseq) + 2 * sizeof(int)));
	if(again == NULL) {
		PKG_MEM_ERROR;
		return rc;
	}
	aseq = (uint32_t *)(again + left);
	aerr = (int *)(aseq + left);
	idx = aerr + left;
	for(i = 0; i < n; i++) {
		if(err[i] != -EEXIST || ifo_xfrm_clear_leftovers(x, recs[i]) != 1)
			continue;
		again[m] = recs[i];
		aseq[m] = oseq[i];
		idx[m++] = i;
	}
	if(m > 0) {
		update_stat(ifo_st_leftovers, m);
		LM_INFO("%d UE(s) had SAs or policies of their own left in the "
				"kernel (an earlier start's flush stopped short): replaced\n",
				m);
		ifo_xfrm_install(x, again, aseq, m, aerr);
		for(i = 0; i < m; i++)
			err[idx[i]] = aerr[i];
	}
	pkg_free(again);
	return rc;
}

int ifo_recovery_finish(ifo_xfrm_t *x, ifo_record_t *r, int err,
		const ifo_page_entry_t *e, time_t expires, const char *ctx)
{
	if(err == -EEXIST) {
		update_stat(ifo_st_collisions, 1);
		LM_ERR("%s: %s not recovered: one of its SPIs (%u %u %u %u) or "
			   "policies is held here by an SA set that is not this UE's "
			   "(other keys or another SPI) - check that pool members have "
			   "disjoint ipsec_spi_id ranges\n",
				ctx, r->contact, r->ipsec.spi_uc, r->ipsec.spi_us,
				r->ipsec.spi_pc, r->ipsec.spi_ps);
		return IFO_RECOVER_COLLISION;
	}
	if(err != 0) {
		LM_ERR("%s: %s not recovered: kernel said %s\n", ctx, r->contact,
				strerror(-err));
		return IFO_RECOVER_KERNEL;
	}
	if(ifo_usrloc_rebuild(r, e, expires) != 0) {
		ifo_xfrm_remove(x, r);
		return IFO_RECOVER_USRLOC;
	}
	return IFO_RECOVER_OK;
}

static int open_entry(const ifo_keyring_t *kr, const char *node,
		ifo_page_entry_t *e, ifo_record_t *r, ifo_report_t *rep)
{
	int rc;

	rc = ifo_recovery_open(
			kr, e->record.s, e->record.len, e->contact.s, e->contact.len, r);
	if(rc != IFO_OK) {
		if(-rc > 0 && -rc < 16)
			rep->open_failed[-rc]++;
		LM_WARN("takeover of %s: record for %.*s skipped: %s\n", node,
				(int)e->contact.len, e->contact.s, ifo_strerror(rc));
		return -1;
	}
	if(strcmp(r->node, node) != 0) {
		rep->wrong_node++;
		LM_WARN("takeover of %s: record for %s names node %s, skipped\n", node,
				r->contact, r->node);
		ifo_record_clear(r);
		return -1;
	}
	return 0;
}

int ifo_claim_seal(const ifo_keyring_t *kr, ifo_record_t *r, uint32_t oseq,
		char *out, size_t outsz, size_t *len)
{
	size_t pl;
	int n, rc;

	n = snprintf(out, outsz, "%llu ", (unsigned long long)r->generation);
	if(n <= 0 || (size_t)n >= outsz)
		return IFO_ERR_TOOLONG;
	pl = (size_t)n;
	memcpy(r->node, ifo_cfg.node_id.s, ifo_cfg.node_id.len);
	r->node[ifo_cfg.node_id.len] = '\0';
	r->generation = ifo_next_generation();
	r->takeovers++;
	r->seq_hint = oseq;
	rc = ifo_seal(kr, r, out + pl, outsz - pl, len);
	*len += pl;
	return rc;
}

int ifo_claim_one(const ifo_keyring_t *kr, ifo_record_t *r, uint32_t oseq)
{
	char line[IFO_CLAIM_LINE_MAX + 1];
	size_t len;
	int i, rc, acc = 0, sup = 0;

	rc = ifo_claim_seal(kr, r, oseq, line, sizeof(line), &len);
	if(rc != IFO_OK) {
		LM_WARN("%s recovered but not claimed: sealing failed: %s\n",
				r->contact, ifo_strerror(rc));
		return -1;
	}
	/* every S-CSCF that may hold the record; the one that does accepts */
	for(i = 0; i < ifo_cfg.n_scscf; i++) {
		ifo_conn_t *c = ifo_conn_open(&ifo_cfg.scscf[i], ifo_cfg.fetch_timeout);
		char res = 0;
		int n;

		if(c == NULL)
			continue;
		n = ifo_fetch_claim(c, ifo_cfg.node_id.s, line, len, &res, 1);
		ifo_conn_close(c);
		if(n > 0)
			acc += n;
		else if(res == IFO_CLAIM_RES_SUPERSEDED)
			sup++;
	}
	if(acc > 0)
		return 0;
	if(sup > 0) {
		update_stat(ifo_st_claim_superseded, 1);
		return IFO_CLAIM_SUPERSEDED;
	}
	LM_WARN("%s: no S-CSCF accepted the claim\n", r->contact);
	return -1;
}

/* Adds the re-sealed record of r, now owned by this node, to the claim.
 * A record left out stays listed under the old node at the S-CSCF, so a
 * later takeover of that node would take the UE away from here again. */
static void add_claim(page_work_t *w, const ifo_keyring_t *kr, int i,
		ifo_report_t *rep)
{
	ifo_record_t *r = &w->recs[i];
	size_t len;
	int rc;

	if(w->claim_len + IFO_CLAIM_LINE_MAX + 1 > w->claim_size) {
		rep->claim_failed++;
		LM_WARN("%s recovered but not claimed: claim buffer full\n",
				r->contact);
		return;
	}
	rc = ifo_claim_seal(kr, r, w->oseq[i], w->claim + w->claim_len,
			w->claim_size - w->claim_len, &len);
	if(rc != IFO_OK) {
		rep->claim_failed++;
		LM_WARN("%s recovered but not claimed: sealing failed: %s\n",
				r->contact, ifo_strerror(rc));
		return;
	}
	w->claim_len += len;
	w->claim[w->claim_len++] = '\n';
	w->claim_idx[w->n_claim++] = i;
}

/* After the claim: a UE whose record the S-CSCF found replaced since the
 * fetch (it registered again meanwhile) must not keep the SAs recovered
 * from the old one here; its newer record stands. */
static void settle_claim(page_work_t *w, ifo_report_t *rep)
{
	int k, undone;

	for(k = 0; k < w->n_claim; k++) {
		ifo_record_t *r = &w->recs[w->claim_idx[k]];

		if(w->claim_res[k] != IFO_CLAIM_RES_SUPERSEDED)
			continue;
		rep->superseded++;
		if(w->claim_idx[k] >= w->size - w->n_back) {
			/* served here all along: the jump harms nobody */
			rep->reclaimed--;
			continue;
		}
		rep->recovered--;
		undone = ifo_usrloc_drop(r);
		LM_WARN("takeover: the S-CSCF holds a newer record of %s than the "
				"one fetched (it registered again meanwhile): its recovery "
				"%s\n",
				r->contact, undone ? "undone" : "left to the newer contact");
	}
}

/*
 * Sends the page's claim lines in requests of at most IFO_CLAIM_REQ_MAX
 * bytes: the S-CSCF reads a request into a buffer of its own TCP
 * settings (Kamailio 6.0 refused a 41 KB claim with tcp_rd_buf_size
 * 327680), and a page may hold 100 records and more.
 */
static void claim_page(ifo_conn_t *c, page_work_t *w, ifo_report_t *rep)
{
	size_t from = 0, to, line_end;
	int k = 0, m, acc;

	memset(w->claim_res, 0, w->n_claim);
	while(k < w->n_claim) {
		to = from;
		m = 0;
		while(k + m < w->n_claim) {
			line_end = (size_t)((char *)memchr(w->claim + to, '\n',
										w->claim_len - to)
								- w->claim)
					   + 1;
			if(m > 0 && line_end - from > IFO_CLAIM_REQ_MAX)
				break;
			to = line_end;
			m++;
		}
		acc = ifo_fetch_claim(c, ifo_cfg.node_id.s, w->claim + from, to - from,
				w->claim_res + k, m);
		if(acc > 0)
			rep->claimed += acc;
		else if(acc < 0) {
			/* no answer in time: the S-CSCF may still apply it late, or
			 * not, and then these UEs stay listed under the old node */
			rep->claim_failed += m;
			LM_WARN("takeover: no answer to a claim of %d record(s)\n", m);
		}
		from = to;
		k += m;
	}
}

static void install_page(page_work_t *w, const ifo_keyring_t *kr,
		const char *node, const char *ctx, ifo_report_t *rep)
{
	ifo_xfrm_t *x = ifo_xfrm();
	int i, rc;
	uint64_t t, ts;

	if(w->n == 0)
		return;
	if(x == NULL) {
		rep->install_failed += w->n;
		return;
	}
	for(i = 0; i < w->n; i++) {
		w->ptrs[i] = &w->recs[i];
		w->oseq[i] = ifo_start_seq(&w->recs[i]);
	}
	t = ifo_now_usec();
	rc = ifo_recovery_install(x, w->ptrs, w->oseq, w->n, w->err);
	rep->usec_kernel += ifo_now_usec() - t;
	t = ifo_now_usec();
	if(rc < 0)
		LM_ERR("takeover of %s: XFRM install failed: %s\n", node,
				strerror(-rc));
	for(i = 0; i < w->n; i++) {
		ifo_record_t *r = &w->recs[i];

		switch(ifo_recovery_finish(x, r, w->err[i], &w->ents[i],
				(time_t)w->ents[i].expires, ctx)) {
			case IFO_RECOVER_OK:
				rep->recovered++;
				/* re-sealing is the claim's cost, not the contact's */
				ts = ifo_now_usec();
				add_claim(w, kr, i, rep);
				rep->usec_claim += ifo_now_usec() - ts;
				t += ifo_now_usec() - ts;
				break;
			case IFO_RECOVER_COLLISION:
				rep->collisions++;
				break;
			case IFO_RECOVER_KERNEL:
				rep->install_failed++;
				break;
			default:
				rep->usrloc_failed++;
				break;
		}
	}
	rep->usec_contacts += ifo_now_usec() - t;
}

/*
 * recs[n], fetched, names a UE that has a contact here. With the same SAs
 * it is a UE this node serves (it registered here, or was recovered here
 * before) whose record another node took: a momentary double VRRP master
 * took it over while this node lived, or this node took it from there
 * earlier. Whoever holds the UE's address is the one the UE hears:
 *  - this node: it takes the UE back. Its outbound SAs jump above what
 *    the other node may have sent on its copies (the record's start),
 *    since the UE's replay window is there now, and the record is
 *    claimed back, so that the other node learns it and a later taker
 *    starts above this node;
 *  - another node: in a run after the S-CSCF reported moves, a copy this
 *    node recovered (of these SAs or older ones of the UE) is let go:
 *    contact, SAs and policies, and nothing is sent on it; a UE that
 *    registered here is left to its contact's end.
 * A contact with other SAs on an address of this node is left alone.
 */
static void known_here(page_work_t *w, const ifo_keyring_t *kr,
		ifo_report_t *rep)
{
	ifo_record_t *r = &w->recs[w->n];
	ifo_xfrm_t *x;
	int back, rc;
	uint32_t oseq;

	if(own_node(r->node)) {
		rep->known++;
		return;
	}
	if(!ifo_addrs_has(&w->addrs, &r->pcscf_addr)) {
		if(w->moves && ifo_usrloc_release(r) == 1) {
			rep->released++;
			LM_INFO("%s is served by node %s now: the copy recovered here "
					"is let go\n",
					r->contact, r->node);
		} else
			rep->known++;
		return;
	}
	if(!ifo_usrloc_same_sas(r)) {
		rep->known++;
		return;
	}
	x = ifo_xfrm();
	oseq = ifo_start_seq(r);
	rc = x ? ifo_xfrm_raise_oseq(x, r, oseq) : -ENOTCONN;
	if(rc < 0) {
		rep->install_failed++;
		LM_ERR("%s, served here, was taken by node %s: outbound sequence "
			   "numbers not raised to %u (%s), the UE may drop what this "
			   "node sends until it registers again\n",
				r->contact, r->node, oseq, strerror(-rc));
		return;
	}
	back = w->size - ++w->n_back;
	w->recs[back] = *r;
	w->oseq[back] = oseq;
	rep->reclaimed++;
	LM_INFO("%s, served here, was taken by node %s: taken back, outbound "
			"ESP sequence numbers from %u\n",
			r->contact, r->node, oseq);
	add_claim(w, kr, back, rep);
}

static int take_from_peer(const ifo_peer_t *peer, const ifo_keyring_t *kr,
		const char *node, page_work_t *w, ifo_report_t *rep)
{
	ifo_conn_t *c;
	unsigned int cursor = 0;
	char ctx[IFO_NODE_MAX + 16];
	int rc = -1;

	snprintf(ctx, sizeof(ctx), "takeover of %s", node);
	c = ifo_conn_open(peer, ifo_cfg.fetch_timeout);
	if(c == NULL)
		return -1;
	do {
		char *body = NULL;
		size_t len = 0, pos = 0;
		int i, n;
		uint64_t t = ifo_now_usec();
		/* a short first page: its UEs are usable while the rest is still
		 * fetched, and the first answer costs the S-CSCF the most (its
		 * process touches those contacts for the first time) */
		int max = cursor == 0 && ifo_cfg.fetch_page_size > IFO_FIRST_PAGE
						  ? IFO_FIRST_PAGE
						  : ifo_cfg.fetch_page_size;

		if(ifo_fetch_page(c, node, &cursor, max, &body, &len) < 0)
			goto out;
		rep->usec_fetch += ifo_now_usec() - t;
		t = ifo_now_usec();
		w->n = 0;
		w->n_back = 0;
		w->claim_len = 0;
		w->n_claim = 0;
		for(;;) {
			ifo_page_entry_t *e = &w->ents[w->n];
			int prc = ifo_page_next(body, len, &pos, e);
			if(prc == 1)
				break;
			rep->fetched++;
			if(prc != IFO_OK) {
				rep->open_failed[-IFO_ERR_FORMAT]++;
				continue;
			}
			if(w->n + w->n_back == max)
				break; /* more than asked for: the rest is ignored */
			if(open_entry(kr, node, e, &w->recs[w->n], rep) < 0)
				continue;
			if(ifo_usrloc_known(&w->recs[w->n])) {
				known_here(w, kr, rep);
				ifo_record_clear(&w->recs[w->n]);
				continue;
			}
			if(w->moves && !ifo_addrs_has(&w->addrs, &w->recs[w->n].pcscf_addr)) {
				/* another node's UE, on an address another node serves */
				rep->not_held++;
				ifo_record_clear(&w->recs[w->n]);
				continue;
			}
			switch(ifo_recovery_check(&w->recs[w->n], ctx)) {
				case IFO_RECOVER_OK:
					w->n++;
					continue;
				case IFO_RECOVER_SPI:
					rep->spi_allocatable++;
					break;
				default:
					rep->ports_unserved++;
					break;
			}
			ifo_record_clear(&w->recs[w->n]);
		}
		rep->usec_open += ifo_now_usec() - t;
		install_page(w, kr, node, ctx, rep);
		if(rep->usec_first == 0 && rep->recovered > 0)
			rep->usec_first = ifo_now_usec() - w->t0;
		/* the UEs are usable from here; a slow claim must not hide that */
		rep->usec = ifo_now_usec() - w->t0;
		ifo_takeover_progress(rep);
		if(w->claim_len) {
			t = ifo_now_usec();
			claim_page(c, w, rep);
			rep->usec_claim += ifo_now_usec() - t;
			settle_claim(w, rep);
		}
		n = w->n;
		for(i = 0; i < n; i++)
			ifo_record_clear(&w->recs[i]);
		for(i = w->size - w->n_back; i < w->size; i++)
			ifo_record_clear(&w->recs[i]);
		pkg_free(body);
		rep->pages++;
		rep->usec = ifo_now_usec() - w->t0;
		ifo_takeover_progress(rep);
	} while(cursor != 0);
	rc = 0;
out:
	ifo_conn_close(c);
	return rc;
}

int ifo_report_failed(const ifo_report_t *rep)
{
	return rep->collisions + rep->install_failed + rep->usrloc_failed
		   + rep->claim_failed;
}

const char *ifo_takeover_refusal(const char *node, int restart)
{
	/* the id goes into a SIP header of the fetch request */
	if(!ifo_token_valid(node, strlen(node), IFO_NODE_MAX))
		return "invalid node id: 1 to 32 characters of [A-Za-z0-9._-]";
	if(!restart && own_node(node))
		return "this is the node's own id (restart recovery takes its own "
			   "records back)";
	if(ifo_cfg.n_scscf == 0)
		return "no scscf configured";
	return NULL;
}

int ifo_takeover(ifo_run_t *run, ifo_report_t *rep)
{
	const ifo_keyring_t *kr;
	const char *node = run->node, *why;
	page_work_t w;
	ifo_run_t busy;
	int i, ps = ifo_cfg.fetch_page_size, rc = 0;
	uint64_t t0 = ifo_now_usec(), f0 = ifo_minor_faults();

	memset(rep, 0, sizeof(*rep));
	memset(&w, 0, sizeof(w));
	if(ifo_takeover_begin(run, &busy) != 1) {
		update_stat(ifo_st_takeover_busy, 1);
		LM_WARN("takeover of %s not started: a takeover of %s is running "
				"here (process %d, for %ld s)\n",
				node, busy.node, busy.pid, (long)(time(NULL) - busy.started));
		return IFO_TAKEOVER_BUSY;
	}
	strcpy(rep->node, node);
	why = ifo_takeover_refusal(node, run->restart);
	kr = why ? NULL : ifo_keys_get();
	if(why == NULL && kr == NULL)
		why = ifo_keys_error();
	if(why) {
		LM_ERR("takeover %u of %s refused: %s\n", run->id, node, why);
		snprintf(rep->error, sizeof(rep->error), "refused: %s", why);
		ifo_takeover_end(rep, -1);
		return -1;
	}
	if(!run->moves)
		update_stat(ifo_st_takeovers_started, 1);
	w.t0 = t0;
	w.size = ps;
	w.moves = run->moves;
	ifo_addrs_read(&w.addrs);
	rep->start_unix_ms = ifo_unix_ms();
	w.recs = pkg_malloc(sizeof(*w.recs) * ps);
	w.ptrs = pkg_malloc(sizeof(*w.ptrs) * ps);
	w.ents = pkg_malloc(sizeof(*w.ents) * (ps + 1));
	w.oseq = pkg_malloc(sizeof(*w.oseq) * ps);
	w.err = pkg_malloc(sizeof(*w.err) * ps);
	w.claim_size = (size_t)ps * (IFO_CLAIM_LINE_MAX + 1);
	w.claim = pkg_malloc(w.claim_size);
	w.claim_idx = pkg_malloc(sizeof(*w.claim_idx) * ps);
	w.claim_res = pkg_malloc(ps);
	if(!w.recs || !w.ptrs || !w.ents || !w.oseq || !w.err || !w.claim
			|| !w.claim_idx || !w.claim_res) {
		PKG_MEM_ERROR;
		snprintf(rep->error, sizeof(rep->error), "out of private memory");
		rc = -1;
		goto out;
	}
	LM_INFO("takeover %u of node %s started (%d S-CSCF)\n", run->id, node,
			ifo_cfg.n_scscf);
	for(i = 0; i < ifo_cfg.n_scscf; i++) {
		rep->peers++;
		if(take_from_peer(&ifo_cfg.scscf[i], kr, node, &w, rep) < 0) {
			rep->peers_failed++;
			rc = -1;
		}
	}
	rep->usec = ifo_now_usec() - t0;
	rep->faults = ifo_minor_faults() - f0;
	if(rep->peers_failed)
		snprintf(rep->error, sizeof(rep->error),
				"%d of %d S-CSCFs could not be asked (see the log)",
				rep->peers_failed, rep->peers);
	update_stat(ifo_st_recovered, rep->recovered);
	update_stat(ifo_st_claim_superseded, rep->superseded);
	update_stat(ifo_st_reclaimed, rep->reclaimed);
	update_stat(ifo_st_released, rep->released);
	LM_INFO("takeover %u of node %s%s finished in %llu ms: %d fetched, %d "
			"recovered, %d taken back, %d let go, %d on another node's "
			"address, %d already here, %d unopenable, %d wrong node, %d "
			"SPI collisions, %d SPIs ims_ipsec_pcscf allocates, %d ports not "
			"served, %d kernel errors, %d usrloc errors, %d "
			"claimed, %d not claimable, %d superseded, %d/%d S-CSCF "
			"failed; ms spent "
			"fetching %llu, opening %llu, in the kernel %llu, on contacts "
			"%llu, claiming %llu; %llu page faults; first UEs usable "
			"after %llu ms; started at unix ms %llu\n",
			run->id, node, run->moves ? " (it took UEs of this node)" : "",
			(unsigned long long)(rep->usec / 1000), rep->fetched,
			rep->recovered, rep->reclaimed, rep->released, rep->not_held,
			rep->known, ifo_report_failed_open(rep),
			rep->wrong_node, rep->collisions, rep->spi_allocatable,
			rep->ports_unserved, rep->install_failed,
			rep->usrloc_failed, rep->claimed, rep->claim_failed,
			rep->superseded, rep->peers_failed, rep->peers,
			(unsigned long long)(rep->usec_fetch / 1000),
			(unsigned long long)(rep->usec_open / 1000),
			(unsigned long long)(rep->usec_kernel / 1000),
			(unsigned long long)(rep->usec_contacts / 1000),
			(unsigned long long)(rep->usec_claim / 1000),
			(unsigned long long)rep->faults,
			(unsigned long long)(rep->usec_first / 1000),
			(unsigned long long)rep->start_unix_ms);
out:
	ifo_addrs_free(&w.addrs);
	if(w.recs) {
		memset(w.recs, 0, sizeof(*w.recs) * ps);
		pkg_free(w.recs);
	}
	if(w.ptrs)
		pkg_free(w.ptrs);
	if(w.ents)
		pkg_free(w.ents);
	if(w.oseq)
		pkg_free(w.oseq);
	if(w.err)
		pkg_free(w.err);
	if(w.claim)
		pkg_free(w.claim);
	if(w.claim_idx)
		pkg_free(w.claim_idx);
	if(w.claim_res)
		pkg_free(w.claim_res);
	update_stat(ifo_st_kernel_errors, rep->install_failed);
	update_stat(ifo_st_usrloc_errors, rep->usrloc_failed);
	update_stat(ifo_st_claim_errors, rep->claim_failed);
	rep->usec = ifo_now_usec() - t0;
	ifo_takeover_end(rep, rc);
	if(!run->moves)
		update_stat(ifo_st_takeovers_finished, 1);
	return rc;
}
