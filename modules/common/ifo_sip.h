/*
 * SIP helpers both failover modules use on the header that carries a
 * sealed record: find it, remove it, add it. Compiled into each module
 * through its ifo_common.c, so the code lives once.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SIP_H
#define IFO_SIP_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

/* First header named hname after `after` (NULL: from the top), or NULL.
 * Parses all headers; a message that does not parse yields NULL. */
hdr_field_t *ifo_sip_find(sip_msg_t *msg, const str *hname, hdr_field_t *after);

/* Removes every header named hname from what will be sent on. Returns how
 * many were removed, or -1 on error. */
int ifo_sip_strip(sip_msg_t *msg, const str *hname);

/* Appends "hname: value" at the end of the header block. */
int ifo_sip_append(sip_msg_t *msg, const str *hname, const str *value);

#endif
