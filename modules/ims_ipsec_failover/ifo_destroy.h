/*
 * De-registration of a UE this module recovered.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_DESTROY_H
#define IFO_DESTROY_H

#include "core/parser/msg_parser.h"

/* Binds tm (mod_init). 0 or -1. */
int ifo_destroy_init(void);

/*
 * ipsec_failover_destroy(), in the reply route of a de-registration's
 * 200 OK, where the config would call ims_ipsec_pcscf's ipsec_destroy():
 * if the UE's contact is one this module recovered, removes its SAs and
 * policies now and returns 1; otherwise returns -1, and the config calls
 * ipsec_destroy(). The stock function would also return the UE's SPIs to
 * its SPI generator, which never handed them out here (see ifo_usrloc.c).
 */
int ifo_destroy_reply(sip_msg_t *msg);

#endif
