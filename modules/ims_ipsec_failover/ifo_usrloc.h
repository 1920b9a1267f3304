/*
 * The P-CSCF usrloc side of a recovery: rebuilds the ims_usrloc_pcscf
 * contact of a UE exactly as ims_registrar_pcscf/ims_ipsec_pcscf would
 * have left it, with ims_ipsec_pcscf's expiry callback attached so the
 * SAs go away when the contact does.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_USRLOC_H
#define IFO_USRLOC_H

#include "ifo/ifo_page.h"
#include "ifo/ifo_record.h"

/* Binds ims_usrloc_pcscf and ims_ipsec_pcscf (both must be loaded before
 * this module) and registers the usrloc domain; mod_init only. */
int ifo_usrloc_init(const char *domain);

/* 1 when the UE's contact is already in usrloc, 0 when not. */
int ifo_usrloc_known(const ifo_record_t *r);

/* Inserts the contact for r with the S-CSCF's registration data e, valid
 * until `expires`. 0 on success, 1 when it already exists, -1 on error. */
int ifo_usrloc_rebuild(
		const ifo_record_t *r, const ifo_page_entry_t *e, time_t expires);

#endif
