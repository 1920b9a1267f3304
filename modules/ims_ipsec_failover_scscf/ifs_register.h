/*
 * What the module does with a REGISTER: take the sealed records it carries
 * into the store after checking what can be checked without the key, drop
 * the records of de-registered contacts, and strip the record header.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_REGISTER_H
#define IFS_REGISTER_H

#include "core/parser/msg_parser.h"

/* Return codes of ifs_register_store (and of ipsec_failover_store) */
#define IFS_RC_STORED 1	   /* at least one record stored or replaced */
#define IFS_RC_REJECTED -1 /* records present, none accepted (see log) */
#define IFS_RC_NOHDR -2	   /* no record header in the message */
#define IFS_RC_ERROR -3	   /* not a REGISTER, parse or memory error */

/* Most contacts of one REGISTER looked at (IMS UEs register one). */
#define IFS_MAX_CONTACTS 16

/*
 * Process a REGISTER whose registration ims_registrar_scscf has saved
 * (the async SAR-reply route, $avp(s:saa_return_code) == 1):
 *  - contacts with expires 0 (and "*" with Expires: 0, by IMPU) lose their
 *    record, once usrloc no longer holds them as valid;
 *  - each record header is checked (structure, sealed expiry, names a
 *    contact of this REGISTER that usrloc holds as valid, generation newer
 *    than the stored one) and stored under that usrloc contact;
 *  - every record header is stripped;
 *  - the registering contacts' records follow their new usrloc expiry
 *    (a re-REGISTER without a record keeps the old one).
 */
int ifs_register_store(sip_msg_t *msg);

/* Strip every record header. Returns how many, -1 on error. */
int ifs_register_strip(sip_msg_t *msg);

#endif
