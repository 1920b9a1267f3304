/*
 * The protected ports this node listens on, as configured for
 * ims_ipsec_pcscf: a recovered UE's P-CSCF ports must be among them, or
 * nothing here could send to it or receive from it over its SAs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_PORTS_H
#define IFO_PORTS_H

#include <stdint.h>

/* Reads ims_ipsec_pcscf's ipsec_client_port, ipsec_server_port and
 * ipsec_max_connections (mod_init). 0, or -1 logged. */
int ifo_ports_init(void);

/* 1 if port_pc is one of the protected client ports and port_ps one of
 * the protected server ports. */
int ifo_ports_served(uint16_t port_pc, uint16_t port_ps);

#endif
