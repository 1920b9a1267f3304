/*
 * The record store: shm hash table keyed by contact URI, a gen_lock_t per
 * slot, one shm block per record. Write-through to the database happens
 * after the slot lock is released (fetches and claims of other UEs in the
 * slot do not wait for the disk); the database operations are guarded by
 * generation (ifs_store_persist_t) and a write that lost a race with a
 * removal is undone, so memory and database still agree.
 *
 * A contact is hashed without its ";alias=" parameter, so the record of a
 * usrloc contact saved with an alias is in the slot where the contact it
 * was sealed for (without the alias) leads: a claim names only the latter.
 * Each slot list is sorted by hash, which gives every record a position
 * (its cursor key: slot index in the high bits, the rest of the hash in
 * the low bits) that a walk can resume from in the middle of a slot.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/hashes.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"

#include "ifo/ifo_record.h"

#include "ifs_moves.h"
#include "ifs_store.h"
#include "ifs_uri.h"

#define IFS_HASH_MAX (1U << 20)
/* room for a contact without its alias (ifs_uri_contact_matches' bound) */
#define IFS_CONTACT_BUF 512
/* bytes a record's block holds beyond its size when allocated */
#define IFS_REC_SLACK 32

typedef struct ifs_slot
{
	ifs_rec_t *first;
	unsigned int n;
	unsigned long bytes; /* ifs_store_rec_size() of its records */
	gen_lock_t lock;
} ifs_slot_t;

typedef struct ifs_table
{
	unsigned int size; /* power of two */
	unsigned int bits; /* log2(size) */
	volatile time_t ready_since;
	ifs_slot_t *slots; /* follows the struct, same block */
} ifs_table_t;

static ifs_table_t *ifs_tbl = NULL;
/* how changes reach the database (ifs_db.c), handed over at init so that
 * the store does not depend on the database layer that loads it */
static const ifs_store_persist_t *ifs_persist = NULL;

int ifs_store_init(unsigned int size, const ifs_store_persist_t *persist)
{
	ifs_persist = persist;
	unsigned int n, i;

	if(size == 0 || size > IFS_HASH_MAX) {
		LM_ERR("hash_size must be 1..%u\n", IFS_HASH_MAX);
		return -1;
	}
	for(n = 1; n < size; n <<= 1)
		;
	ifs_tbl = shm_malloc(sizeof(ifs_table_t) + n * sizeof(ifs_slot_t));
	if(ifs_tbl == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(ifs_tbl, 0, sizeof(ifs_table_t) + n * sizeof(ifs_slot_t));
	ifs_tbl->size = n;
	while((1U << ifs_tbl->bits) < n)
		ifs_tbl->bits++;
	ifs_tbl->slots = (ifs_slot_t *)(ifs_tbl + 1);
	for(i = 0; i < n; i++) {
		if(lock_init(&ifs_tbl->slots[i].lock) == NULL) {
			LM_ERR("cannot initialise slot lock %u\n", i);
			while(i-- > 0)
				lock_destroy(&ifs_tbl->slots[i].lock);
			shm_free(ifs_tbl);
			ifs_tbl = NULL;
			return -1;
		}
	}
	return 0;
}

void ifs_store_destroy(void)
{
	ifs_rec_t *r, *next;
	unsigned int i;

	if(ifs_tbl == NULL)
		return;
	for(i = 0; i < ifs_tbl->size; i++) {
		for(r = ifs_tbl->slots[i].first; r; r = next) {
			next = r->next;
			shm_free(r);
		}
		lock_destroy(&ifs_tbl->slots[i].lock);
	}
	shm_free(ifs_tbl);
	ifs_tbl = NULL;
}

void ifs_store_set_ready(void)
{
	if(ifs_tbl)
		ifs_tbl->ready_since = time(NULL);
}

time_t ifs_store_ready_since(void)
{
	return ifs_tbl ? ifs_tbl->ready_since : 0;
}

unsigned int ifs_store_rec_size(const ifs_rec_t *r)
{
	return sizeof(ifs_rec_t) + r->contact.len + r->aor.len + r->node.len
		   + r->keyid.len + r->text.len + r->served.len + 6;
}

static unsigned int contact_hid(const str *contact)
{
	char buf[IFS_CONTACT_BUF];
	str bare;

	/* too long to strip: hashed as it is, which is still deterministic */
	if(ifs_uri_strip_alias(contact, buf, sizeof(buf), &bare) < 0)
		bare = *contact;
	return core_hash(&bare, NULL, 0);
}

/* Position of a hash in a walk: slot-major, then by the hash bits that
 * the slot index does not use (within a slot, the same order as hid). */
static unsigned int hid_key(unsigned int hid)
{
	unsigned int b = ifs_tbl->bits;

	if(b == 0)
		return hid;
	return ((hid & (ifs_tbl->size - 1)) << (32 - b)) | (hid >> b);
}

static unsigned int key_slot(unsigned int key)
{
	return ifs_tbl->bits ? key >> (32 - ifs_tbl->bits) : 0;
}

static unsigned int slot_first_key(unsigned int slot)
{
	return ifs_tbl->bits ? slot << (32 - ifs_tbl->bits) : 0;
}

/* Copy s to *p as a NUL-terminated string, point d at it, advance *p. */
static void rec_copy_str(str *d, const str *s, char **p)
{
	d->s = *p;
	d->len = s->len;
	if(s->len > 0)
		memcpy(*p, s->s, s->len);
	(*p)[s->len] = '\0';
	*p += s->len + 1;
}

/* Everything of in but the links, hash and capacity, into r's block. */
static void rec_fill(ifs_rec_t *r, const ifs_rec_t *in)
{
	char *p = (char *)(r + 1);

	r->generation = in->generation;
	r->confirmed = in->confirmed;
	r->expires = in->expires;
	r->rec_expires = in->rec_expires;
	rec_copy_str(&r->contact, &in->contact, &p);
	rec_copy_str(&r->aor, &in->aor, &p);
	rec_copy_str(&r->node, &in->node, &p);
	rec_copy_str(&r->keyid, &in->keyid, &p);
	rec_copy_str(&r->text, &in->text, &p);
	rec_copy_str(&r->served, &in->served, &p);
}

/* A block for in, whose ifs_store_rec_size() is size. */
static ifs_rec_t *rec_new(const ifs_rec_t *in, unsigned int hid, unsigned int size)
{
	ifs_rec_t *r;

	/* some room, so that the next generation (a claim's re-sealed
	 * record, a re-registration's) mostly fits the same block */
	size = (size + IFS_REC_SLACK + 63) & ~63U;
	r = shm_malloc(size);
	if(r == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->hid = hid;
	r->cap = size;
	rec_fill(r, in);
	return r;
}

static ifs_slot_t *slot_of(unsigned int hid)
{
	return &ifs_tbl->slots[core_hash_idx(hid, ifs_tbl->size)];
}

static ifs_rec_t *slot_find(ifs_slot_t *sl, unsigned int hid, const str *c)
{
	ifs_rec_t *r;

	for(r = sl->first; r; r = r->next) {
		if(r->hid == hid && r->contact.len == c->len
				&& memcmp(r->contact.s, c->s, c->len) == 0)
			return r;
	}
	return NULL;
}

/* Keeps the list sorted by hid (equal hids: newest first). */
static void slot_insert(ifs_slot_t *sl, ifs_rec_t *nr)
{
	ifs_rec_t *p, *prev = NULL;

	for(p = sl->first; p && p->hid < nr->hid; p = p->next)
		prev = p;
	nr->prev = prev;
	nr->next = p;
	if(prev)
		prev->next = nr;
	else
		sl->first = nr;
	if(p)
		p->prev = nr;
	sl->n++;
	sl->bytes += ifs_store_rec_size(nr);
}

static void slot_unlink(ifs_slot_t *sl, ifs_rec_t *r)
{
	if(r->prev)
		r->prev->next = r->next;
	else
		sl->first = r->next;
	if(r->next)
		r->next->prev = r->prev;
	sl->n--;
	sl->bytes -= ifs_store_rec_size(r);
}

static int holds(unsigned int hid, const str *contact, uint64_t gen)
{
	ifs_slot_t *sl = slot_of(hid);
	ifs_rec_t *r;
	int found;

	lock_get(&sl->lock);
	r = slot_find(sl, hid, contact);
	found = r && r->generation == gen;
	lock_release(&sl->lock);
	return found;
}

int ifs_store_holds(const str *contact, uint64_t gen)
{
	return ifs_tbl ? holds(contact_hid(contact), contact, gen) : 0;
}

/*
 * A newer generation of a contact's record goes into the block of the one
 * it replaces when it fits: a takeover's claims replace thousands of
 * records at once, and a fresh block is memory the serving process has
 * mostly never touched, where a first touch is expensive (a page fault
 * per page) and shm_malloc takes the allocator's lock. Otherwise a block
 * is allocated, outside the slot lock, and the checks are made again.
 */
static int put(const ifs_rec_t *in, int persist, const uint64_t *if_gen,
		uint64_t *stored_gen)
{
	ifs_rec_t *nr = NULL, *old, *unused;
	ifs_slot_t *sl;
	unsigned int hid, size;
	char from[IFO_NODE_MAX + 1];
	str moved = {from, 0};
	int rc = IFS_PUT_ERROR;

	if(ifs_tbl == NULL || in->contact.len <= 0)
		return IFS_PUT_ERROR;
	hid = contact_hid(&in->contact);
	size = ifs_store_rec_size(in);
	sl = slot_of(hid);
	for(;;) {
		lock_get(&sl->lock);
		old = slot_find(sl, hid, &in->contact);
		if(if_gen && (old == NULL || old->generation != *if_gen)) {
			rc = IFS_PUT_SUPERSEDED;
			break;
		}
		if(old && old->generation >= in->generation) {
			rc = IFS_PUT_STALE;
			break;
		}
		if(old && !STR_EQ(old->node, in->node)
				&& old->node.len <= IFO_NODE_MAX) {
			memcpy(from, old->node.s, old->node.len);
			moved.len = old->node.len;
		}
		if(old && size <= old->cap) {
			sl->bytes += size;
			sl->bytes -= ifs_store_rec_size(old);
			rec_fill(old, in);
			/* a block allocated before a bigger one came in (another
			 * process) goes unused */
			unused = nr;
			rc = IFS_PUT_REPLACED;
			goto stored;
		}
		if(nr)
			break;
		lock_release(&sl->lock);
		/* shm_malloc takes its own lock and may be slow: not under ours */
		nr = rec_new(in, hid, size);
		if(nr == NULL)
			return IFS_PUT_ERROR;
		moved.len = 0;
	}
	if(rc == IFS_PUT_SUPERSEDED || rc == IFS_PUT_STALE) {
		if(stored_gen)
			*stored_gen = old ? old->generation : 0;
		lock_release(&sl->lock);
		if(nr)
			shm_free(nr);
		return rc;
	}
	if(old) {
		nr->prev = old->prev;
		nr->next = old->next;
		if(old->prev)
			old->prev->next = nr;
		else
			sl->first = nr;
		if(old->next)
			old->next->prev = nr;
		sl->bytes += size;
		sl->bytes -= ifs_store_rec_size(old);
		unused = old;
		rc = IFS_PUT_REPLACED;
	} else {
		slot_insert(sl, nr);
		unused = NULL;
		rc = IFS_PUT_NEW;
	}
stored:
	lock_release(&sl->lock);
	if(unused)
		shm_free(unused);
	if(moved.len)
		ifs_moves_note(&moved, &in->node);
	/* memory stays authoritative when the database fails: ifs_db counts
	 * and logs the error, the record still serves this run */
	if(persist && ifs_persist) {
		ifs_persist->write(in);
		/* removed by another process before the row was written: its
		 * removal of the row came first and found nothing */
		if(!holds(hid, &in->contact, in->generation))
			ifs_persist->remove(&in->contact, in->generation);
	}
	return rc;
}

int ifs_store_put(const ifs_rec_t *in, int persist, uint64_t *stored_gen)
{
	return put(in, persist, NULL, stored_gen);
}

int ifs_store_replace(const ifs_rec_t *in, uint64_t if_gen, int persist,
		uint64_t *stored_gen)
{
	return put(in, persist, &if_gen, stored_gen);
}

int ifs_store_del(const str *contact, const uint64_t *only_gen, int persist)
{
	unsigned int hid;
	ifs_slot_t *sl;
	ifs_rec_t *r;
	uint64_t gen;

	if(ifs_tbl == NULL)
		return 0;
	hid = contact_hid(contact);
	sl = slot_of(hid);
	lock_get(&sl->lock);
	r = slot_find(sl, hid, contact);
	if(r == NULL || (only_gen && r->generation != *only_gen)) {
		lock_release(&sl->lock);
		return 0;
	}
	gen = r->generation;
	slot_unlink(sl, r);
	lock_release(&sl->lock);
	shm_free(r);
	/* a newer generation written meanwhile is not <= gen: it stays */
	if(persist && ifs_persist)
		ifs_persist->remove(contact, gen);
	return 1;
}

int ifs_store_confirm(
		const str *contact, uint64_t gen, time_t expires, int persist)
{
	unsigned int hid;
	ifs_slot_t *sl;
	ifs_rec_t *r;
	int found = 0, changed = 0;

	if(ifs_tbl == NULL)
		return 0;
	hid = contact_hid(contact);
	sl = slot_of(hid);
	lock_get(&sl->lock);
	r = slot_find(sl, hid, contact);
	if(r && r->generation == gen) {
		changed = r->expires != expires;
		r->expires = expires;
		r->confirmed = 1;
		found = 1;
	}
	lock_release(&sl->lock);
	if(changed && persist && ifs_persist)
		ifs_persist->set_expires(contact, gen, expires);
	return found;
}

int ifs_store_get(const str *contact, ifs_rec_cb_f f, void *param)
{
	unsigned int hid;
	ifs_slot_t *sl;
	ifs_rec_t *r;
	int ret = 0;

	if(ifs_tbl == NULL)
		return 0;
	hid = contact_hid(contact);
	sl = slot_of(hid);
	lock_get(&sl->lock);
	r = slot_find(sl, hid, contact);
	if(r)
		ret = (f(r, param) < 0) ? -1 : 1;
	lock_release(&sl->lock);
	return ret;
}

static int node_match(const ifs_rec_t *r, const str *node)
{
	return node == NULL
		   || (r->node.len == node->len
				   && memcmp(r->node.s, node->s, node->len) == 0);
}

int ifs_store_get_sealed(const str *sealed, ifs_rec_cb_f f, void *param)
{
	unsigned int hid;
	ifs_slot_t *sl;
	ifs_rec_t *r;
	int ret = 0;

	if(ifs_tbl == NULL)
		return 0;
	hid = contact_hid(sealed);
	sl = slot_of(hid);
	lock_get(&sl->lock);
	for(r = sl->first; r; r = r->next) {
		if(r->hid == hid && ifs_uri_contact_matches(&r->contact, sealed)) {
			ret = (f(r, param) < 0) ? -1 : 1;
			break;
		}
	}
	lock_release(&sl->lock);
	return ret;
}

unsigned int ifs_store_key(const ifs_rec_t *r)
{
	return ifs_tbl ? hid_key(r->hid) : 0;
}

int ifs_store_page(const str *node, unsigned int cursor, int max,
		ifs_rec_cb_f f, void *param, unsigned int *next_cursor)
{
	unsigned int i, k, from, last = 0;
	int done = 0;
	ifs_rec_t *r;
	ifs_slot_t *sl;

	*next_cursor = 0;
	if(ifs_tbl == NULL || max <= 0)
		return 0;
	from = cursor;
	for(i = key_slot(cursor); i < ifs_tbl->size; i++) {
		sl = &ifs_tbl->slots[i];
		lock_get(&sl->lock);
		for(r = sl->first; r; r = r->next) {
			k = hid_key(r->hid);
			if(k < from || !node_match(r, node))
				continue;
			/* full: stop before r, unless r shares the key of the last
			 * record passed (a cursor cannot point between them). k > 0
			 * here (something precedes r), so 0 still means complete. */
			if(done >= max && k != last) {
				lock_release(&sl->lock);
				*next_cursor = k;
				return done;
			}
			if(f(r, param) < 0) {
				lock_release(&sl->lock);
				return -1;
			}
			last = k;
			done++;
		}
		lock_release(&sl->lock);
		if(i + 1 < ifs_tbl->size)
			from = slot_first_key(i + 1);
	}
	return done;
}

unsigned int ifs_store_count(void)
{
	unsigned int i, n = 0;

	if(ifs_tbl == NULL)
		return 0;
	for(i = 0; i < ifs_tbl->size; i++)
		n += ifs_tbl->slots[i].n;
	return n;
}

unsigned long ifs_store_bytes(void)
{
	unsigned long n = 0;
	unsigned int i;

	if(ifs_tbl == NULL)
		return 0;
	for(i = 0; i < ifs_tbl->size; i++)
		n += ifs_tbl->slots[i].bytes;
	return n;
}
