/*
 * Is an address this node's now? The shared virtual IP is on a node's
 * interface while VRRP makes it master (keepalived adds and removes it),
 * so it tells which node the UEs of that address reach: the one that
 * must send to them, the only one that may jump their sequence numbers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_ADDRS_H
#define IFO_ADDRS_H

#include "ifo/ifo_record.h"

/* The node's interface addresses, read once (getifaddrs). */
typedef struct ifo_addrs
{
	int n;
	ifo_addr_t *a; /* pkg */
} ifo_addrs_t;

/* 0, or -1 when they cannot be read (logged; then no address is held) */
int ifo_addrs_read(ifo_addrs_t *s);
void ifo_addrs_free(ifo_addrs_t *s);
int ifo_addrs_has(const ifo_addrs_t *s, const ifo_addr_t *a);

#endif
