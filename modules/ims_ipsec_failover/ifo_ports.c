/*
 * Port pool bookkeeping for recovered UEs.
 *
 * ims_ipsec_pcscf allocates a protected server and client port per UE from
 * two pools in shared memory and gives them back when the contact expires
 * (its ipsec_on_expire callback, which recovered contacts get too). A
 * peer's UEs arrive with ports the peer allocated, from the same ranges
 * (pool members share one configuration): unless this node's pools learn
 * about them, the next registration here gets the same ports and its
 * policies collide with a recovered UE's, and the later release would free
 * a port twice.
 *
 * The module exports no API for this, but its pool functions are global
 * symbols of its shared object: acquire_*port() hands out the next free
 * port in round-robin order, release_*port() returns one. To take a given
 * port, take ports until it comes out, then return the others; a port
 * that never comes out is already in use here.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>

#include "core/dprint.h"
#include "core/sr_module.h"

#include "ifo_ports.h"

typedef uint32_t (*acquire_f)(void);
typedef int (*release_f)(uint32_t);

static acquire_f acq_s, acq_c;
static release_f rel_s, rel_c;

int ifo_ports_bind(void)
{
	struct sr_module *m = find_module_by_name("ims_ipsec_pcscf");

	if(m == NULL || m->handle == NULL) {
		LM_ERR("ims_ipsec_pcscf is not loaded\n");
		return -1;
	}
	acq_s = (acquire_f)dlsym(m->handle, "acquire_sport");
	acq_c = (acquire_f)dlsym(m->handle, "acquire_cport");
	rel_s = (release_f)dlsym(m->handle, "release_sport");
	rel_c = (release_f)dlsym(m->handle, "release_cport");
	if(!acq_s || !acq_c || !rel_s || !rel_c) {
		acq_s = acq_c = NULL;
		LM_WARN("ims_ipsec_pcscf's port pool functions not found: "
				"recovered UEs' ports will not be marked as taken\n");
		return -1;
	}
	return 0;
}

/* Bounded by the pool size: ipsec_max_connections is at most a few
 * thousand, and a takeover reserves each port once. */
#define IFO_PORTS_MAX_SCAN 65536

static int take(acquire_f acq, release_f rel, uint32_t want)
{
	uint32_t first = 0, p;
	uint32_t held[256];
	int n = 0, i, got = 0, scanned;

	for(scanned = 0; scanned < IFO_PORTS_MAX_SCAN; scanned++) {
		p = acq();
		if(p == 0)
			break; /* pool exhausted: want is taken */
		if(p == want) {
			got = 1;
			break;
		}
		if(first == 0)
			first = p;
		else if(p == first) {
			rel(p);
			break;
		}
		if(n == (int)(sizeof(held) / sizeof(held[0]))) {
			/* give back in batches: the cursor has moved past them */
			for(i = 0; i < n; i++)
				rel(held[i]);
			n = 0;
		}
		held[n++] = p;
	}
	for(i = 0; i < n; i++)
		rel(held[i]);
	return got;
}

int ifo_ports_reserve(uint32_t sport, uint32_t cport)
{
	int s, c;

	if(acq_s == NULL)
		return -1;
	s = take(acq_s, rel_s, sport);
	c = take(acq_c, rel_c, cport);
	if(!s || !c)
		LM_INFO("recovered UE's port%s %u/%u already in use here\n",
				(!s && !c) ? "s" : "", sport, cport);
	return (s && c) ? 1 : 0;
}
