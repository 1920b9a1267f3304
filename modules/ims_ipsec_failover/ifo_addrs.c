/*
 * This node's interface addresses (see ifo_addrs.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <ifaddrs.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/dprint.h"
#include "core/mem/mem.h"

#include "ifo_addrs.h"

int ifo_addrs_read(ifo_addrs_t *s)
{
	struct ifaddrs *all, *i;
	int n = 0;

	memset(s, 0, sizeof(*s));
	if(getifaddrs(&all) < 0) {
		LM_ERR("cannot read this node's addresses: %s\n", strerror(errno));
		return -1;
	}
	for(i = all; i; i = i->ifa_next)
		n++;
	s->a = pkg_malloc((n ? n : 1) * sizeof(*s->a));
	if(s->a == NULL) {
		PKG_MEM_ERROR;
		freeifaddrs(all);
		return -1;
	}
	for(i = all; i; i = i->ifa_next) {
		ifo_addr_t *a = &s->a[s->n];

		if(i->ifa_addr == NULL)
			continue;
		memset(a, 0, sizeof(*a));
		if(i->ifa_addr->sa_family == AF_INET) {
			a->family = AF_INET;
			memcpy(a->a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		} else if(i->ifa_addr->sa_family == AF_INET6) {
			a->family = AF_INET6;
			memcpy(a->a, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		} else
			continue;
		s->n++;
	}
	freeifaddrs(all);
	return 0;
}

void ifo_addrs_free(ifo_addrs_t *s)
{
	if(s->a)
		pkg_free(s->a);
	memset(s, 0, sizeof(*s));
}

int ifo_addrs_has(const ifo_addrs_t *s, const ifo_addr_t *a)
{
	int i, len = a->family == AF_INET ? 4 : 16;

	for(i = 0; i < s->n; i++)
		if(s->a[i].family == a->family && memcmp(s->a[i].a, a->a, len) == 0)
			return 1;
	return 0;
}
