/*
 * Takeover when this node gains the shared address (see ifo_watch.h).
 *
 * An event only says "look again": the held addresses are read anew
 * (getifaddrs) rather than parsed from the messages, so a lost event
 * (the socket's buffer overrun: ENOBUFS) costs nothing but that look.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/sr_module.h"

#include "ifo_addrs.h"
#include "ifo_config.h"
#include "ifo_shared.h"
#include "ifo_stats.h"
#include "ifo_watch.h"

static ifo_addr_t watched[2];
static char watched_txt[2][INET6_ADDRSTRLEN];
static int n_watched;
static int held; /* bit i: watched[i] was this node's at the last look */
static int nl_fd = -1;

static int stock_addr(struct sr_module *m, char *name, int family)
{
	modparam_t t = PARAM_STR;
	str *s = find_param_export(m, name, PARAM_STR, &t);
	char buf[INET6_ADDRSTRLEN];
	ifo_addr_t *a = &watched[n_watched];

	if(s == NULL || s->s == NULL || s->len <= 0)
		return 0;
	if(s->len >= (int)sizeof(buf)) {
		LM_ERR("ims_ipsec_pcscf %s is not an address\n", name);
		return -1;
	}
	memcpy(buf, s->s, s->len);
	buf[s->len] = '\0';
	memset(a, 0, sizeof(*a));
	a->family = family;
	if(inet_pton(family, buf, a->a) != 1) {
		LM_ERR("ims_ipsec_pcscf %s '%s' is not an IPv%d address\n", name, buf,
				family == AF_INET ? 4 : 6);
		return -1;
	}
	strcpy(watched_txt[n_watched], buf);
	n_watched++;
	return 0;
}

int ifo_watch_init(void)
{
	struct sr_module *m;

	if(ifo_cfg.n_peers == 0)
		return 0;
	m = find_module_by_name("ims_ipsec_pcscf");
	if(m == NULL) {
		LM_ERR("takeover_peer needs ims_ipsec_pcscf (its listen address)\n");
		return -1;
	}
	if(stock_addr(m, "ipsec_listen_addr", AF_INET) < 0
			|| stock_addr(m, "ipsec_listen_addr6", AF_INET6) < 0)
		return -1;
	if(n_watched == 0) {
		LM_ERR("takeover_peer needs ims_ipsec_pcscf's ipsec_listen_addr "
			   "(or ipsec_listen_addr6): the address whose arrival starts "
			   "the takeover\n");
		return -1;
	}
	return 0;
}

/* bit i set: watched[i] is on one of this node's interfaces */
static int held_now(void)
{
	ifo_addrs_t s;
	int i, h = 0;

	if(ifo_addrs_read(&s) < 0)
		return held; /* no news */
	for(i = 0; i < n_watched; i++)
		if(ifo_addrs_has(&s, &watched[i]))
			h |= 1 << i;
	ifo_addrs_free(&s);
	return h;
}

int ifo_watch_open(void)
{
	struct sockaddr_nl sa;

	if(n_watched == 0)
		return -1;
	nl_fd = socket(
			AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if(nl_fd < 0) {
		LM_ERR("cannot open a netlink socket for address events: %s - "
			   "takeovers start from the notify script only\n",
				strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	if(bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		LM_ERR("cannot listen to address events: %s - takeovers start from "
			   "the notify script only\n",
				strerror(errno));
		close(nl_fd);
		nl_fd = -1;
		return -1;
	}
	held = held_now();
	LM_INFO("a takeover of %d peer(s) starts when %s%s%s becomes this "
			"node's (now: %s)\n",
			ifo_cfg.n_peers, watched_txt[0], n_watched > 1 ? " or " : "",
			n_watched > 1 ? watched_txt[1] : "", held ? "held" : "not held");
	return nl_fd;
}

int ifo_watch_handle(void)
{
	char buf[4096];
	const char *what;
	ifo_run_t run;
	ssize_t n;
	int any = 0, now, gained, i, k = 0;

	for(;;) {
		n = recv(nl_fd, buf, sizeof(buf), 0);
		if(n > 0) {
			any = 1;
			continue;
		}
		if(n < 0 && errno == EINTR)
			continue;
		/* an overrun lost events: look anyway */
		if(n < 0 && errno == ENOBUFS)
			any = 1;
		break;
	}
	if(!any)
		return 0;
	now = held_now();
	/* VRRP moves the IPv4 and the IPv6 address together, but they arrive
	 * one by one: only the first of them starts the takeover */
	gained = held == 0 ? now : 0;
	held = now;
	if(!gained)
		return 0;
	update_stat(ifo_st_address_gained, 1);
	what = watched_txt[(gained & 1) ? 0 : 1];
	for(i = 0; i < ifo_cfg.n_peers; i++) {
		int rc = ifo_takeover_request(ifo_cfg.peers[i], 0, &run);

		if(rc < 0) {
			update_stat(ifo_st_takeover_busy, 1);
			LM_ERR("%s is this node's now, but the takeover queue is full: "
				   "no takeover of %s queued\n",
					what, ifo_cfg.peers[i]);
			continue;
		}
		LM_INFO("%s is this node's now: takeover %u of %s %s\n", what, run.id,
				ifo_cfg.peers[i], rc ? "joined" : "queued");
		k++;
	}
	return k;
}

int ifo_watch_describe(
		char *peers, size_t peers_size, char *addrs, size_t addrs_size)
{
	size_t n = 0;
	int i, k;

	peers[0] = '\0';
	addrs[0] = '\0';
	for(i = 0; i < ifo_cfg.n_peers; i++) {
		k = snprintf(peers + n, peers_size - n, "%s%s", i ? "," : "",
				ifo_cfg.peers[i]);
		if(k < 0 || (size_t)k >= peers_size - n)
			break;
		n += (size_t)k;
	}
	n = 0;
	for(i = 0; i < n_watched; i++) {
		k = snprintf(addrs + n, addrs_size - n, "%s%s", i ? " " : "",
				watched_txt[i]);
		if(k < 0 || (size_t)k >= addrs_size - n)
			break;
		n += (size_t)k;
	}
	if(n_watched == 0)
		return -1;
	return held_now() != 0;
}
