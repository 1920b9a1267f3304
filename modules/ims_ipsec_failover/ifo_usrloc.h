/*
 * The P-CSCF usrloc side of a recovery: rebuilds the ims_usrloc_pcscf
 * contact of a UE exactly as ims_registrar_pcscf/ims_ipsec_pcscf would
 * have left it, with an expiry callback of this module attached so the
 * SAs go away when the contact does.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_USRLOC_H
#define IFO_USRLOC_H

#include "ifo/ifo_page.h"
#include "ifo/ifo_record.h"
#include "ims_usrloc_pcscf/usrloc.h"

/* Binds ims_usrloc_pcscf (loaded before this module) and registers the
 * usrloc domain; mod_init only. */
int ifo_usrloc_init(const char *domain);

udomain_t *ifo_usrloc_domain(void);
usrloc_api_t *ifo_usrloc_api(void);

/* 1 if c is a contact this module recovered (it carries the callback). */
int ifo_usrloc_is_recovered(pcontact_t *c);

/* Removes the kernel objects of recovered contact c now (a
 * de-registration); the contact's own end removes them again, harmlessly.
 * 0 or -1. Call with c's slot locked. */
int ifo_usrloc_destroy(pcontact_t *c);

/* Undoes the recovery of r: removes the contact rebuilt for it, and so
 * its SAs and policies, if it is still the one rebuilt from r (a contact
 * the UE registered since is left alone). 1 removed, 0 not. */
int ifo_usrloc_drop(const ifo_record_t *r);

/* The same for a contact recovered here for r's UE from any of its SA
 * sets (r may be newer: the UE registered again elsewhere). A contact the
 * UE registered here is left alone. 1 removed, 0 not. */
int ifo_usrloc_release(const ifo_record_t *r);

/* 1 when the UE's contact is already in usrloc, 0 when not. */
int ifo_usrloc_known(const ifo_record_t *r);

/* 1 when the UE's contact is in usrloc with the SA set r describes (its
 * four SPIs), registered here or recovered; 0 when not. */
int ifo_usrloc_same_sas(const ifo_record_t *r);

/* Inserts the contact for r with the S-CSCF's registration data e, valid
 * until `expires`. 0 on success, 1 when it already exists, -1 on error. */
int ifo_usrloc_rebuild(
		const ifo_record_t *r, const ifo_page_entry_t *e, time_t expires);

#endif
