/*
 * Attaching a UE's stored record to a terminating request routed to that
 * UE, so that a P-CSCF which does not know the UE (its serving peer
 * failed, no takeover has reached it yet) can recover it lazily.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_ATTACH_H
#define IFS_ATTACH_H

#include "core/parser/msg_parser.h"

/*
 * Appends the record stored for the contact in the Request-URI (as
 * lookup() sets it) as a header_name header. 1 attached, -1 no record
 * (or an expired one) or error.
 */
int ifs_attach(sip_msg_t *msg);

#endif
