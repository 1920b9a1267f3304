/*
 * URI helpers: how a record's contact is matched against the contacts of a
 * REGISTER, and how the IMPU is taken from a To URI. Pure string work, no
 * Kamailio state, so each rule lives in one place.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_URI_H
#define IFS_URI_H

#include "core/str.h"

/*
 * Copy uri into buf (bufsz bytes) without its first ";alias=..." URI
 * parameter (the one add_contact_alias() at the P-CSCF appends) and point
 * *out at the copy. Returns 1 if a parameter was removed, 0 if uri has
 * none (*out is then uri itself), -1 if buf is too small.
 */
int ifs_uri_strip_alias(const str *uri, char *buf, int bufsz, str *out);

/*
 * 1 if the contact a record was sealed for (rec) designates the REGISTER
 * contact reg: equal byte for byte, or equal to reg without its ";alias="
 * parameter (the P-CSCF may seal the contact as the UE sent it, while the
 * S-CSCF saves it with the alias the P-CSCF added). 0 otherwise.
 */
int ifs_uri_contact_matches(const str *reg, const str *rec);

/*
 * The IMPU of a To URI as ims_registrar_scscf saves it: cut at the first
 * ';', '?' or ':' after the scheme ("sip:alice@ims.test:5060;x" gives
 * "sip:alice@ims.test"). *impu points into to_uri.
 */
void ifs_uri_impu(const str *to_uri, str *impu);

#endif
