/*
 * Protected ports of recovered UEs, marked as taken in ims_ipsec_pcscf's
 * port pools so that this node never hands them to a new SA set.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_PORTS_H
#define IFO_PORTS_H

#include <stdint.h>

/* Find the pool functions of the loaded ims_ipsec_pcscf (mod_init). 0 or
 * -1 (logged): then takeover still works but ports may be handed out
 * twice. */
int ifo_ports_bind(void);

/*
 * Take server port sport and client port cport out of the pools. 1 if
 * both were free here, 0 if one was already in use here (a local UE holds
 * it too: logged, not fatal, since policies also match the UE address),
 * -1 if the pools cannot be reached.
 */
int ifo_ports_reserve(uint32_t sport, uint32_t cport);

#endif
