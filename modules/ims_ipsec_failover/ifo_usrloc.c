/*
 * Rebuilding ims_usrloc_pcscf contacts for recovered UEs.
 *
 * What the stock lookups need from a contact (pcscf_is_registered,
 * service-route policing, pcscf_assert_identity, ipsec_forward): the hash
 * over the Via host string, received host in ip_addr2sbuf form with the
 * UE's protected client port, reg_state REGISTERED, the original Contact
 * URI, public identities (default first), service routes as bare URIs,
 * and the SA data in security_temp, the only place the stock modules read.
 *
 * When such a contact goes (expiry, de-registration), this module removes
 * its kernel objects itself instead of ims_ipsec_pcscf's expiry callback:
 * that one would also give the SPIs back to the stock SPI generator, which
 * never handed them out here (a peer's SPIs, or this node's from before a
 * restart, see ifo_spi.h); Kamailio 6.0's generator would even add such a
 * pair to its free list and later give it to a new UE.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "core/dprint.h"
#include "core/sr_module.h"
#include "core/mem/shm_mem.h"
#include "ims_usrloc_pcscf/usrloc.h"

#include "ifo/ifo_xfrm.h"
#include "ifo_usrloc.h"
#include "ifo_netlink.h"

static usrloc_api_t ul;
static udomain_t *domain;

int ifo_usrloc_init(const char *name)
{
	bind_usrloc_t bind_ul;

	bind_ul = (bind_usrloc_t)find_export("ul_bind_ims_usrloc_pcscf", 1, 0);
	if(bind_ul == NULL || bind_ul(&ul) < 0) {
		LM_ERR("cannot bind ims_usrloc_pcscf: load it before this module\n");
		return -1;
	}
	if(ul.register_udomain(name, &domain) < 0) {
		LM_ERR("cannot register usrloc domain '%s'\n", name);
		return -1;
	}
	return 0;
}

static void span_str(str *d, const ifo_span_t *s)
{
	d->s = (char *)s->s;
	d->len = (int)s->len;
}

static void fill_info(pcontact_info_t *ci, const ifo_record_t *r)
{
	memset(ci, 0, sizeof(*ci));
	ci->aor.s = (char *)r->contact;
	ci->aor.len = strlen(r->contact);
	ci->via_host.s = (char *)r->via_host;
	ci->via_host.len = strlen(r->via_host);
	ci->via_port = r->via_port;
	ci->via_prot = r->via_proto;
	ci->received_host.s = (char *)r->received_host;
	ci->received_host.len = strlen(r->received_host);
	ci->received_port = r->received_port;
	ci->received_proto = r->received_proto;
	ci->searchflag = SEARCH_RECEIVED;
	ci->reg_state = PCONTACT_ANY;
}

int ifo_usrloc_known(const ifo_record_t *r)
{
	pcontact_info_t ci;
	pcontact_t *c = NULL;
	int found;

	fill_info(&ci, r);
	ul.lock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	found = ul.get_pcontact(domain, &ci, &c, 0) == 0;
	ul.unlock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	return found;
}

int ifo_usrloc_same_sas(const ifo_record_t *r)
{
	pcontact_info_t ci;
	pcontact_t *c = NULL;
	const ipsec_t *s;
	int same = 0;

	fill_info(&ci, r);
	ul.lock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	if(ul.get_pcontact(domain, &ci, &c, 0) == 0 && c != NULL
			&& c->security_temp != NULL
			&& c->security_temp->type == SECURITY_IPSEC
			&& (s = c->security_temp->data.ipsec) != NULL)
		same = s->spi_uc == r->ipsec.spi_uc && s->spi_us == r->ipsec.spi_us
			   && s->spi_pc == r->ipsec.spi_pc && s->spi_ps == r->ipsec.spi_ps;
	ul.unlock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	return same;
}

static int shm_dup_bytes(str *d, const char *s, int len)
{
	d->s = NULL;
	d->len = 0;
	if(len <= 0)
		return 0;
	d->s = shm_malloc(len);
	if(d->s == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memcpy(d->s, s, len);
	d->len = len;
	return 0;
}

/* usrloc keeps CK and IK as the hex text of the 401's ck=/ik= values; for
 * 3DES the kernel key is CK1|CK2|CK1, so CK is its first 16 bytes. */
static int shm_hex(str *d, const uint8_t *b, int n)
{
	char hex[2 * IFO_KEY_MAX + 1];
	int i, rc;

	if(n > 16)
		n = 16;
	for(i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	rc = shm_dup_bytes(d, hex, 2 * n);
	OPENSSL_cleanse(hex, sizeof(hex));
	return rc;
}

/* ims_usrloc_pcscf's free_security() is not reachable from another module;
 * this frees the same layout, for a security_t not handed over. */
static void free_sec(security_t *sec)
{
	ipsec_t *ip = sec->data.ipsec;

	if(ip) {
		str *f[] = {&ip->ealg, &ip->r_ealg, &ip->ck, &ip->alg, &ip->r_alg,
				&ip->ik, &ip->prot, &ip->mod};
		for(size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if(f[i]->s)
				shm_free(f[i]->s);
		shm_free(ip);
	}
	shm_free(sec);
}

static security_t *build_security(const ifo_record_t *r)
{
	security_t *sec;
	ipsec_t *ip;
	const ifo_ipsec_t *s = &r->ipsec;

	sec = shm_malloc(sizeof(*sec));
	ip = shm_malloc(sizeof(*ip));
	if(sec == NULL || ip == NULL) {
		SHM_MEM_ERROR;
		if(sec)
			shm_free(sec);
		if(ip)
			shm_free(ip);
		return NULL;
	}
	memset(sec, 0, sizeof(*sec));
	memset(ip, 0, sizeof(*ip));
	sec->type = SECURITY_IPSEC;
	sec->data.ipsec = ip;
	ip->spi_uc = s->spi_uc;
	ip->spi_us = s->spi_us;
	ip->spi_pc = s->spi_pc;
	ip->spi_ps = s->spi_ps;
	ip->port_uc = s->port_uc;
	ip->port_us = s->port_us;
	ip->port_pc = s->port_pc;
	ip->port_ps = s->port_ps;
	if(shm_dup_bytes(&ip->r_alg, s->r_alg, strlen(s->r_alg)) < 0
			|| shm_dup_bytes(&ip->r_ealg, s->r_ealg, strlen(s->r_ealg)) < 0
			|| shm_dup_bytes(&ip->prot, s->prot, strlen(s->prot)) < 0
			|| shm_dup_bytes(&ip->mod, s->mod, strlen(s->mod)) < 0
			|| shm_hex(&ip->ik, s->ik, s->ik_len) < 0
			|| shm_hex(&ip->ck, s->ck, s->ck_len) < 0) {
		free_sec(sec);
		return NULL;
	}
	return sec;
}

/* EXPIRE or DELETE of a recovered contact: its kernel objects go with it;
 * param (shm) names them and is this callback's to free. */
static void recovered_gone(pcontact_t *c, int type, void *param)
{
	ifo_xfrm_ids_t *ids = param;
	ifo_xfrm_t *x;
	int n;

	if(ids == NULL)
		return;
	x = ifo_xfrm();
	if(x != NULL) {
		n = ifo_xfrm_remove_ids(x, ids);
		if(n < 0)
			LM_ERR("recovered contact %.*s gone, its SAs not removed: %s\n",
					c->aor.len, c->aor.s, strerror(-n));
		else
			LM_DBG("recovered contact %.*s gone: %d kernel objects removed\n",
					c->aor.len, c->aor.s, n);
	}
	shm_free(ids);
}

int ifo_usrloc_is_recovered(pcontact_t *c)
{
	struct ul_callback *cb;

	for(cb = c->cbs.first; cb; cb = cb->next)
		if(cb->callback == recovered_gone)
			return 1;
	return 0;
}

int ifo_usrloc_destroy(pcontact_t *c)
{
	struct ul_callback *cb;
	ifo_xfrm_t *x = ifo_xfrm();
	int n = 0;

	if(x == NULL)
		return -1;
	for(cb = c->cbs.first; cb; cb = cb->next)
		if(cb->callback == recovered_gone && cb->param != NULL)
			n = ifo_xfrm_remove_ids(x, cb->param);
	return n < 0 ? -1 : 0;
}

/* Removes the contact recovered for r's UE: with same_sas only if it was
 * rebuilt from r's SA set. */
static int drop(const ifo_record_t *r, int same_sas)
{
	pcontact_info_t ci;
	pcontact_t *c = NULL;
	struct ul_callback *cb;
	ifo_xfrm_ids_t ids;
	int rc = 0;

	fill_info(&ci, r);
	ifo_xfrm_ids_of(r, &ids);
	ul.lock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	if(ul.get_pcontact(domain, &ci, &c, 0) == 0 && c != NULL) {
		for(cb = c->cbs.first; cb; cb = cb->next)
			if(cb->callback == recovered_gone && cb->param != NULL
					&& (!same_sas
							|| memcmp(cb->param, &ids, sizeof(ids)) == 0))
				break;
		/* the DELETE callback takes its kernel objects along */
		if(cb != NULL && ul.delete_pcontact(domain, c) == 0)
			rc = 1;
	}
	ul.unlock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	return rc;
}

int ifo_usrloc_drop(const ifo_record_t *r)
{
	return drop(r, 1);
}

int ifo_usrloc_release(const ifo_record_t *r)
{
	return drop(r, 0);
}

udomain_t *ifo_usrloc_domain(void)
{
	return domain;
}

usrloc_api_t *ifo_usrloc_api(void)
{
	return &ul;
}

int ifo_usrloc_rebuild(
		const ifo_record_t *r, const ifo_page_entry_t *e, time_t expires)
{
	pcontact_info_t ci;
	pcontact_t *c = NULL;
	security_t *sec;
	ifo_xfrm_ids_t *objs;
	str ids[IFO_PAGE_MAX_LIST], routes[IFO_PAGE_MAX_LIST], aor;
	int i, rc = -1;

	fill_info(&ci, r);
	for(i = 0; i < e->n_ids; i++)
		span_str(&ids[i], &e->ids[i]);
	for(i = 0; i < e->n_routes; i++)
		span_str(&routes[i], &e->routes[i]);
	ci.public_ids = ids;
	ci.num_public_ids = e->n_ids;
	ci.service_routes = routes;
	ci.num_service_routes = e->n_routes;
	ci.expires = expires;
	aor = ci.aor;

	sec = build_security(r);
	if(sec == NULL)
		return -1;
	objs = shm_malloc(sizeof(*objs));
	if(objs == NULL) {
		SHM_MEM_ERROR;
		free_sec(sec);
		return -1;
	}
	ifo_xfrm_ids_of(r, objs);
	ul.lock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	if(ul.get_pcontact(domain, &ci, &c, 0) == 0) {
		rc = 1;
		goto out;
	}
	ci.reg_state = PCONTACT_REGISTERED;
	if(ul.insert_pcontact(domain, &aor, &ci, &c) != 0 || c == NULL) {
		LM_ERR("cannot insert the usrloc contact %.*s\n", aor.len, aor.s);
		goto out;
	}
	/* insert only copies reg_state when it matches a search filter */
	c->reg_state = PCONTACT_REGISTERED;
	if(ul.update_temp_security(domain, SECURITY_IPSEC, sec, c) != 0) {
		LM_ERR("cannot attach SA data to %.*s\n", aor.len, aor.s);
		ul.delete_pcontact(domain, c);
		goto out;
	}
	sec = NULL; /* owned by the contact now */
	if(ul.register_ulcb(c, PCSCF_CONTACT_EXPIRE | PCSCF_CONTACT_DELETE,
			   recovered_gone, objs)
			!= 1) {
		LM_ERR("cannot attach the SA expiry callback to %.*s\n", aor.len,
				aor.s);
		ul.delete_pcontact(domain, c);
		goto out;
	}
	objs = NULL; /* the callback's now */
	rc = 0;
out:
	ul.unlock_udomain(domain, &ci.via_host, ci.via_port, ci.via_prot);
	if(sec)
		free_sec(sec);
	if(objs)
		shm_free(objs);
	return rc;
}
