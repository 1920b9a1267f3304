/*
 * The view of ims_usrloc_scscf this module needs: is a contact registered,
 * and until when. usrloc is the authority on a contact's life; its
 * callbacks do not fire on de-registration or expiry, so the store polls
 * through here instead.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_UL_H
#define IFS_UL_H

#include <time.h>

#include "core/str.h"
#include "ifo/ifo_page.h"

#define IFS_UL_GONE 0	 /* no such contact in usrloc */
#define IFS_UL_INVALID 1 /* present but expired or being deleted */
#define IFS_UL_VALID 2	 /* registered */

/*
 * Bind ims_usrloc_scscf (find_export("ul_bind_usrloc")). Fails unless the
 * module is loaded and initialised before this one, and if its
 * matching_mode needs a Call-ID to find a contact (mode 1).
 */
int ifs_ul_bind(void);

/*
 * State of the contact whose URI is uri (byte for byte, as saved by the
 * registrar). For IFS_UL_VALID, *expires gets its absolute expiry (0 for a
 * contact that never expires). Takes and releases a usrloc reference;
 * never call it holding a store lock.
 */
int ifs_ul_contact(const str *uri, time_t *expires);

/* What usrloc holds of a contact, copied out (pkg memory). */
typedef struct ifs_ul_info
{
	time_t expires; /* 0: never */
	str aor;
	str path;
	str ids[IFO_PAGE_MAX_LIST];
	int n_ids;
	char *mem;	   /* pkg: aor, path */
	char *ids_mem; /* pkg: identities */
} ifs_ul_info_t;

/* What usrloc holds for contact uri: IFS_UL_VALID with *u filled (the
 * public identities only if want_ids; at least the contact's own IMPU),
 * or IFS_UL_GONE / IFS_UL_INVALID with *u empty. Free with
 * ifs_ul_info_free() in every case. */
int ifs_ul_lookup(const str *uri, int want_ids, ifs_ul_info_t *u);
void ifs_ul_info_free(ifs_ul_info_t *u);

/*
 * What a fetch serves of a contact besides its record, kept with the
 * record when it is stored so that a takeover's fetch need not ask usrloc
 * for it: "<Path>\n<identity>[\n<identity>...]" (Path may be empty; an
 * identity is a URI, which never holds a line break).
 * ifs_ul_served_join writes it into buf: its length, or -1 if it does
 * not fit. ifs_ul_served_split points u's path and identities into s
 * (nothing allocated, u->mem stays NULL): 0, or -1 if s is not one.
 */
#define IFS_SERVED_MAX 2048
int ifs_ul_served_join(const ifs_ul_info_t *u, char *buf, int size);
int ifs_ul_served_split(const str *s, ifs_ul_info_t *u);

/*
 * Resolve a usrloc domain by name: 0 on success, -1 (without logging) if
 * unknown. create != 0 registers it when missing (only before forking, as
 * the registrar's fixups do).
 */
int ifs_ul_domain(const str *name, void **domain, int create);

#endif
