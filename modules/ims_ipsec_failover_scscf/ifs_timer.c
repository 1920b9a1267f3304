/*
 * Contact following. Each pass walks the store page by page, copying the
 * keys of a page out under the slot locks, then asks usrloc about each
 * contact with no store lock held (usrloc takes its own locks; holding ours
 * across that call would order the two lock families against each other).
 * A change is applied only if the record still has the generation seen in
 * the snapshot, so a re-registration that replaced it meanwhile wins.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <unistd.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/pt.h"
#include "core/sr_module.h"
#include "core/timer_proc.h"

#include "ifo_clock.h"

#include "ifs_config.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_timer.h"
#include "ifs_ul.h"

#define IFS_TIMER_PAGE 64

/* ms of the monotonic clock (wrapping) when a fetch or claim was last
 * served; shm, written by the SIP workers, read by the timer process */
static volatile unsigned int *ifs_served_ms = NULL;

static unsigned int now_ms(void)
{
	return (unsigned int)(ifo_now_usec() / 1000u);
}

void ifs_timer_serving(void)
{
	if(ifs_served_ms)
		*ifs_served_ms = now_ms();
}

/* Waits while fetches or claims are being served; *waited counts the
 * pass's ms of waiting against its bound. */
static void yield_to_serving(unsigned int *waited)
{
	unsigned int t0 = now_ms(), served, paused;

	while(ifs_served_ms && *waited < IFS_TIMER_YIELD_MAX_S * 1000u) {
		/* the stamp before the clock: a stamp written in between is
		 * newer than the clock read first, and the difference would
		 * wrap around to "long ago" */
		served = *ifs_served_ms;
		if((int)(now_ms() - served) >= IFS_TIMER_YIELD_MS)
			break;
		usleep(50000);
		*waited += 50;
	}
	/* a takeover's pause is worth a line; a lone fetch's is not */
	paused = now_ms() - t0;
	if(paused >= 1000)
		LM_INFO("contact timer: pass paused %u ms while a takeover's "
				"fetches and claims were served\n",
				paused);
}

typedef struct snap
{
	str contact;
	str node;
	uint64_t generation;
	time_t expires;
	time_t rec_expires;
	int confirmed;
} snap_t;

typedef struct snap_page
{
	snap_t *s;
	int n, max;
} snap_page_t;

static int snap_add(snap_page_t *p, const ifs_rec_t *r)
{
	snap_t *ns, *e;

	if(p->n == p->max) {
		/* a slot is never split, so a page can exceed IFS_TIMER_PAGE */
		ns = pkg_realloc(p->s, 2 * p->max * sizeof(snap_t));
		if(ns == NULL) {
			PKG_MEM_ERROR;
			return -1;
		}
		p->s = ns;
		p->max *= 2;
	}
	e = &p->s[p->n];
	/* contact and node in one pkg block */
	e->contact.s = pkg_malloc(r->contact.len + r->node.len + 2);
	if(e->contact.s == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(e->contact.s, r->contact.s, r->contact.len + 1);
	e->contact.len = r->contact.len;
	e->node.s = e->contact.s + r->contact.len + 1;
	memcpy(e->node.s, r->node.s, r->node.len + 1);
	e->node.len = r->node.len;
	e->generation = r->generation;
	e->expires = r->expires;
	e->rec_expires = r->rec_expires;
	e->confirmed = r->confirmed;
	p->n++;
	return 0;
}

static int snap_cb(const ifs_rec_t *r, void *param)
{
	return snap_add((snap_page_t *)param, r);
}

static void snap_reset(snap_page_t *p)
{
	int i;

	for(i = 0; i < p->n; i++)
		pkg_free(p->s[i].contact.s);
	p->n = 0;
}

static void drop(const snap_t *s, const char *why)
{
	if(ifs_store_del(&s->contact, &s->generation, 1) == 1) {
		update_stat(ifs_st_expired, 1);
		LM_DBG("record of %.*s (node %.*s) dropped: %s\n", s->contact.len,
				s->contact.s, s->node.len, s->node.s, why);
	}
}

/*
 * Decide for one snapshot entry; 1 if dropped.
 *
 * A contact usrloc does not know ends a confirmed record (de-registered,
 * expired, deleted by an administrator: usrloc reports none of these). An
 * unconfirmed record (loaded at start-up, its contact never seen since)
 * survives it until its stored expiry: usrloc without persistence forgets
 * every contact on a restart although the UE stays registered with its
 * SAs, and a usrloc that preloads its contacts confirms the record at the
 * first pass.
 */
static int follow(const snap_t *s, int keep_missing, time_t now)
{
	time_t c_exp = 0, eff;
	int st;

	if(s->rec_expires <= now) {
		drop(s, "sealed expiry passed");
		return 1;
	}
	/* s->expires alone does not decide: the contact may have been
	 * refreshed since it was last followed */
	st = ifs_ul_contact(&s->contact, &c_exp);
	if(st == IFS_UL_GONE && (keep_missing || !s->confirmed)) {
		if(s->expires > now)
			return 0;
		drop(s, "expired");
		return 1;
	}
	if(st != IFS_UL_VALID) {
		drop(s, st == IFS_UL_GONE ? "contact gone" : "contact not valid");
		return 1;
	}
	eff = ifs_effective_expires(c_exp, s->rec_expires);
	if(eff <= now) {
		drop(s, "sealed expiry passed");
		return 1;
	}
	if(eff != s->expires || !s->confirmed)
		ifs_store_confirm(&s->contact, s->generation, eff, 1);
	return 0;
}

int ifs_timer_follow(const str *contact, int keep_missing, time_t now)
{
	snap_page_t p;
	int ret = 0;

	memset(&p, 0, sizeof(p));
	p.max = 1;
	p.s = pkg_malloc(sizeof(snap_t));
	if(p.s == NULL) {
		PKG_MEM_ERROR;
		return 0;
	}
	if(ifs_store_get(contact, snap_cb, &p) == 1 && p.n == 1)
		ret = follow(&p.s[0], keep_missing, now);
	snap_reset(&p);
	pkg_free(p.s);
	return ret;
}

static void ifs_timer_run(unsigned int ticks, void *param)
{
	snap_page_t p;
	unsigned int cursor = 0, next;
	time_t now;
	unsigned int waited = 0;
	int i, dropped = 0, seen = 0;

	/* before the start-up load (in the first SIP worker) the store is
	 * incomplete and usrloc may not have preloaded its contacts yet */
	if(ifs_store_ready_since() == 0)
		return;
	now = time(NULL);
	memset(&p, 0, sizeof(p));
	p.max = IFS_TIMER_PAGE;
	p.s = pkg_malloc(p.max * sizeof(snap_t));
	if(p.s == NULL) {
		PKG_MEM_ERROR;
		return;
	}
	do {
		yield_to_serving(&waited);
		now = time(NULL);
		if(ifs_store_page(NULL, cursor, IFS_TIMER_PAGE, snap_cb, &p, &next)
				< 0) {
			LM_ERR("pass interrupted (no pkg memory)\n");
			snap_reset(&p);
			break;
		}
		for(i = 0; i < p.n; i++)
			dropped += follow(&p.s[i], 0, now);
		seen += p.n;
		snap_reset(&p);
		cursor = next;
	} while(cursor != 0);
	pkg_free(p.s);
	if(dropped)
		LM_DBG("pass: %d records checked, %d dropped\n", seen, dropped);
}

int ifs_timer_init(void)
{
	ifs_served_ms = shm_malloc(sizeof(*ifs_served_ms));
	if(ifs_served_ms == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	*ifs_served_ms = now_ms() - IFS_TIMER_YIELD_MS;
	if(register_sync_timers(1) < 0) {
		LM_ERR("cannot register the contact timer process\n");
		return -1;
	}
	return 0;
}

int ifs_timer_fork(void)
{
	/* the child never returns from fork_sync_timer but on shutdown; it
	 * opens its own database connection on first use (ifs_db.c) */
	if(fork_sync_timer(PROC_TIMER, "IMS IPSEC FAILOVER TIMER", 1,
			   ifs_timer_run, NULL, ifs_cfg.check_interval)
			< 0) {
		LM_ERR("cannot start the contact timer process\n");
		return -1;
	}
	return 0;
}
