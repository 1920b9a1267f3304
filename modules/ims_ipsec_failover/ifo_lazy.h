/*
 * Lazy recovery: a terminating request for a UE this P-CSCF does not know
 * brings that UE's sealed record, attached by the S-CSCF, and the UE is
 * recovered from it before the request is forwarded.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_LAZY_H
#define IFO_LAZY_H

#include "core/parser/msg_parser.h"

#define IFO_LAZY_RECOVERED 1
#define IFO_LAZY_KNOWN 2 /* the contact is already here: nothing done */
#define IFO_LAZY_FAILED -1

/*
 * Recovers the UE the Request-URI (its contact) names from the record in
 * the header_name header, and removes every such header from the request
 * whatever the outcome. Returns IFO_LAZY_*.
 */
int ifo_lazy_recover(sip_msg_t *msg);

#endif
