/*
 * The record store: a shared-memory hash table of sealed records keyed by
 * the ims_usrloc_scscf contact URI they belong to, with a lock per slot.
 * This header is also the internal API for code that serves records back
 * to a P-CSCF (ifs_store_get, ifs_store_get_sealed, ifs_store_page).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_STORE_H
#define IFS_STORE_H

#include <stdint.h>
#include <time.h>

#include "core/str.h"

/*
 * One stored record. The struct and its six strings are one shm block
 * (strings follow the struct, each NUL-terminated). The sealed text is kept
 * exactly as received (base64url): it is what a P-CSCF gets back and what
 * the database holds, so it is never re-encoded.
 */
typedef struct ifs_rec
{
	struct ifs_rec *next;
	struct ifs_rec *prev;
	unsigned int hid;	 /* full hash of contact without ;alias= */
	unsigned int cap;	 /* bytes of its block: a newer generation that
						  * fits is written in place */
	int confirmed;		 /* usrloc was seen holding the contact since this
						  * process started (0 for records loaded from the
						  * database until the timer finds their contact) */
	uint64_t generation; /* from the sealed header: bigger = newer */
	time_t expires;		 /* when the store drops it: the contact's expiry,
						  * capped by rec_expires */
	time_t rec_expires;	 /* expiry sealed in the header */
	str contact;		 /* key: the usrloc contact URI */
	str aor;			 /* IMPU (To URI) of the REGISTER that brought it */
	str node;			 /* origin P-CSCF node id */
	str keyid;			 /* id of the key that sealed it (not secret) */
	str text;			 /* the sealed record; ciphertext, never logged */
	str served;			 /* Path and identities usrloc held when it was
						  * stored (ifs_ul_served_join), which a fetch
						  * serves with it; empty when not known (loaded
						  * from the database): the fetch asks usrloc */
} ifs_rec_t;

/* Results of ifs_store_put */
#define IFS_PUT_ERROR -1
#define IFS_PUT_STALE 0	   /* generation <= stored one: nothing changed */
#define IFS_PUT_NEW 1	   /* first record for this contact */
#define IFS_PUT_REPLACED 2 /* replaced an older generation */
#define IFS_PUT_SUPERSEDED \
	3 /* ifs_store_replace: the record it was to replace is gone or was
	   * replaced meanwhile */

/*
 * Called for each record under its slot lock: copy what is needed, do not
 * block, do not call back into the store or into usrloc. A negative return
 * stops the walk.
 */
typedef int (*ifs_rec_cb_f)(const ifs_rec_t *r, void *param);

/* Where the store's changes are written through ("persist" arguments
 * below); ifs_db.c provides them. The store calls them after releasing
 * the slot lock, so that database I/O never holds up the readers and
 * writers of a slot: two processes' writes of one contact may then reach
 * the database in either order, and each operation is guarded by the
 * record's generation so that the order does not matter. */
typedef struct ifs_store_persist
{
	/* r, unless a newer generation of its contact is there */
	int (*write)(const ifs_rec_t *r);
	/* the contact's rows of generation <= gen */
	int (*remove)(const str *contact, uint64_t gen);
	/* expires of the contact's row of generation gen */
	int (*set_expires)(const str *contact, uint64_t gen, time_t expires);
} ifs_store_persist_t;

/* Allocate the table in shm (before forking); size is rounded up to a
 * power of two. persist (static, may be NULL: memory only) is kept.
 * 0 on success. */
int ifs_store_init(unsigned int size, const ifs_store_persist_t *persist);
void ifs_store_destroy(void);

/* Start-up is over (records loaded): the timer may judge records now. */
void ifs_store_set_ready(void);
/* 0 before ifs_store_set_ready, else the time it was called. */
time_t ifs_store_ready_since(void);

/*
 * Insert in (its contact, aor, node, keyid, text, served, generation,
 * expires, rec_expires, confirmed; links ignored) unless a record with the same contact and a
 * generation >= in->generation is stored (then *stored_gen, if not NULL,
 * gets that generation). persist != 0 writes through to the database
 * before returning, after the slot lock is released; should the record
 * have been removed from memory meanwhile, its row is removed again, so
 * the database never keeps what memory dropped. Returns IFS_PUT_*.
 */
int ifs_store_put(const ifs_rec_t *in, int persist, uint64_t *stored_gen);

/*
 * The same, but only in place of the record of generation if_gen (a
 * compare-and-swap on what a P-CSCF fetched): IFS_PUT_SUPERSEDED if the
 * contact has no record or one of another generation (*stored_gen gets
 * it, 0 for none), so a claim can never replace a record newer than the
 * one it was made from.
 */
int ifs_store_replace(const ifs_rec_t *in, uint64_t if_gen, int persist,
		uint64_t *stored_gen);

/*
 * Delete the record of contact; with only_gen != NULL only if its
 * generation is *only_gen (so a decision taken on a snapshot never removes
 * a record that replaced it meanwhile). 1 deleted, 0 not there.
 */
int ifs_store_del(const str *contact, const uint64_t *only_gen, int persist);

/*
 * usrloc holds contact as valid until expires: mark its record confirmed
 * and set its expiry (written through if it changed), if its generation is
 * gen. 1 if the record was found, 0 if not.
 */
int ifs_store_confirm(
		const str *contact, uint64_t gen, time_t expires, int persist);

/* 1 if the store holds generation gen of contact's record, else 0. */
int ifs_store_holds(const str *contact, uint64_t gen);

/* Run f on the record of contact. 1 found, 0 not, -1 if f aborted. */
int ifs_store_get(const str *contact, ifs_rec_cb_f f, void *param);

/*
 * Run f on the record stored for the contact a record was sealed for:
 * the record whose contact is sealed, or is sealed plus a ";alias="
 * parameter (ifs_uri_contact_matches). 1 found, 0 not, -1 if f aborted.
 */
int ifs_store_get_sealed(const str *sealed, ifs_rec_cb_f f, void *param);

/*
 * Page through the records in a fixed order, optionally only those whose
 * origin node is *node (NULL: all). cursor 0 starts a walk;
 * *next_cursor gets the cursor for the next page, 0 when the walk is
 * complete (like Redis SCAN).
 *
 * Every record has a position in the walk, its key (ifs_store_key: from
 * the hash of its contact, so it never changes), and a cursor is a key:
 * a page holds the records from key cursor on, in key order. A page holds
 * at most max records, except that records sharing one key (contacts
 * whose 32-bit hashes collide) are never split across pages. So every
 * record present for the whole walk is returned exactly once, whatever
 * is added or removed meanwhile; records added or removed during the walk
 * may or may not be seen. Returns the number of records passed to f, or
 * -1 if f aborted.
 */
int ifs_store_page(const str *node, unsigned int cursor, int max,
		ifs_rec_cb_f f, void *param, unsigned int *next_cursor);

/*
 * The key of r in a walk (see ifs_store_page): a page that stops before
 * r returns this as its next cursor. Never 0 for a record that follows
 * another in the walk.
 */
unsigned int ifs_store_key(const ifs_rec_t *r);

/* Records held (sum of the slot counters, read without locks). */
unsigned int ifs_store_count(void);
/* Bytes the stored records take (ifs_store_rec_size() summed; the
 * allocator's own overhead comes on top). */
unsigned long ifs_store_bytes(void);

/* Bytes of the shm block of a record with these field lengths (for docs
 * and the RPC). */
unsigned int ifs_store_rec_size(const ifs_rec_t *r);

/* The expiry a record gets: the contact's (0 = never) capped by the
 * sealed one. */
static inline time_t ifs_effective_expires(time_t contact, time_t sealed)
{
	return (contact == 0 || contact > sealed) ? sealed : contact;
}

#endif
