/*
 * Takeover when this node gains the shared address.
 *
 * keepalived adds the pool's virtual address to the interface of the node
 * VRRP makes master, then runs its notify script, which asks for the
 * takeover through a shell, ipsec-failover-notify and kamcmd: three
 * process starts before the first page is fetched, hundreds of
 * milliseconds on a busy host, while the UEs of that address are
 * unreachable. With `takeover_peer` set, the takeover process listens to
 * the kernel's address events itself and queues a takeover of every peer
 * the moment the address ims_ipsec_pcscf listens on (ipsec_listen_addr,
 * ipsec_listen_addr6) becomes this node's; the notify script's request
 * then joins it.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_WATCH_H
#define IFO_WATCH_H

#include <stddef.h>

/* mod_init: takes the addresses to watch from ims_ipsec_pcscf when
 * takeover peers are configured. 0, or -1 (logged). */
int ifo_watch_init(void);

/* The takeover process: the socket to poll for address events, or -1 when
 * nothing is watched (or it cannot be opened: logged, the notify script
 * still starts takeovers). The addresses held now are the baseline: only
 * a later gain counts. */
int ifo_watch_open(void);

/* After the socket polled readable: drains it and queues a takeover of
 * every peer when this node, holding none of the watched addresses at the
 * last look, holds one now (the IPv6 address arriving after the IPv4 one
 * starts nothing more). The number of takeovers queued or joined. */
int ifo_watch_handle(void);

/* For the status RPC, any process: the takeover peers (comma-separated)
 * and the watched addresses (blank-separated), "" when none; 1 when one of
 * them is this node's now, 0 when none is, -1 when nothing is watched. */
int ifo_watch_describe(
		char *peers, size_t peers_size, char *addrs, size_t addrs_size);

#endif
