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

/* mod_init: takes the addresses to watch from ims_ipsec_pcscf when
 * takeover peers are configured. 0, or -1 (logged). */
int ifo_watch_init(void);

/* The takeover process: the socket to poll for address events, or -1 when
 * nothing is watched (or it cannot be opened: logged, the notify script
 * still starts takeovers). The addresses held now are the baseline: only
 * a later gain counts. */
int ifo_watch_open(void);

/* After the socket polled readable: drains it and queues a takeover of
 * every peer when a watched address became this node's since the last
 * look. The number of takeovers queued or joined. */
int ifo_watch_handle(void);

#endif
