/*
 * Lazy recovery of one UE from the record a terminating request carries.
 *
 * The steps of a takeover (ifo_takeover.h) for a single record. The record
 * must open with the Request-URI as its contact, so a record attached to a
 * request for one UE can never build SAs for another, must come from a
 * configured S-CSCF, and is claimed (conditionally on being the record
 * the S-CSCF holds) before anything is installed.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <time.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/trim.h"

#include "ifo/ifo_seal.h"
#include "ifo_config.h"
#include "ifo_keys.h"
#include "ifo_lazy.h"
#include "ifo_sip.h"
#include "ifo_stats.h"
#include "ifo_takeover.h"
#include "ifo_usrloc.h"
#include "ifo_netlink.h"

/* The exporter sealed the registration's end plus record_grace; once the
 * registration's end has passed, the grace is all the UE has left to
 * re-register in, and the contact must not outlive the record. */
static time_t contact_expires(const ifo_record_t *r)
{
	uint64_t grace = ifo_cfg.record_grace > 0 ? ifo_cfg.record_grace : 0;
	uint64_t now = (uint64_t)time(NULL);

	if(r->expires > grace && r->expires - grace > now)
		return (time_t)(r->expires - grace);
	return (time_t)r->expires;
}

/* Did the request come from one of the configured S-CSCFs? Only they
 * attach records; a record from anywhere else may be one captured
 * earlier and replayed. */
static int from_scscf(const struct ip_addr *src)
{
	struct ip_addr ip;
	int i;

	for(i = 0; i < ifo_cfg.n_scscf; i++) {
		su2ip_addr(&ip, (union sockaddr_union *)&ifo_cfg.scscf[i].addr);
		if(ip_addr_cmp(&ip, src))
			return 1;
	}
	return 0;
}

static int recover(const str *text, const str *ruri)
{
	const ifo_keyring_t *kr;
	const ifo_record_t *one;
	ifo_page_entry_t e;
	ifo_record_t r, claim;
	ifo_xfrm_t *x;
	char origin[IFO_NODE_MAX + 1];
	uint32_t oseq;
	int rc, err = 0, ret = IFO_LAZY_FAILED;

	kr = ifo_keys_get();
	if(kr == NULL)
		LM_ERR("lazy recovery of %.*s impossible: %s\n", ruri->len, ruri->s,
				ifo_keys_error());
	/* a NULL ring fails here too, so that it is counted as well */
	rc = ifo_recovery_open(kr, text->s, text->len, ruri->s, ruri->len, &r);
	if(rc != IFO_OK) {
		LM_WARN("lazy recovery of %.*s: record unusable: %s\n", ruri->len,
				ruri->s, ifo_strerror(rc));
		goto out; /* r is zeroed by ifo_recovery_open() */
	}
	/* Whatever the origin node, even this one (its own UEs after a restart
	 * that restart recovery has not reached yet): only a contact that is
	 * here already must not be touched. */
	if(ifo_usrloc_known(&r)) {
		LM_DBG("%s is already known here: nothing recovered\n", r.contact);
		ret = IFO_LAZY_KNOWN;
		goto out;
	}
	if(ifo_recovery_check(&r, "lazy recovery") != IFO_RECOVER_OK)
		goto out;
	x = ifo_xfrm();
	if(x == NULL)
		goto out;
	oseq = ifo_start_seq(&r);
	strcpy(origin, r.node);
	/* Claimed before anything is installed, on condition that the S-CSCF
	 * still holds this very record (like a takeover's claims): a record
	 * the UE's registration has moved past since, even one the S-CSCF
	 * attached itself a moment ago, never builds SAs. The claim also
	 * moves the UE to this node, with one takeover more, so that a later
	 * takeover of the old node starts its SAs above what is sent here. */
	claim = r;
	rc = ifo_claim_one(kr, &claim, oseq);
	ifo_record_clear(&claim);
	if(rc != 0) {
		if(rc != IFO_CLAIM_SUPERSEDED)
			update_stat(ifo_st_claim_errors, 1);
		LM_WARN("lazy recovery of %s refused: %s\n", r.contact,
				rc == IFO_CLAIM_SUPERSEDED
						? "the S-CSCF holds a newer record (a replay, or "
						  "the UE registered again)"
						: "no S-CSCF accepted the claim");
		goto out;
	}
	one = &r;
	rc = ifo_recovery_install(x, &one, &oseq, 1, &err);
	if(rc < 0 && err == 0)
		err = rc;
	/* The record holds neither the Path nor the Service-Route (the
	 * S-CSCF's fetch answer does): the contact gets none, so MO
	 * service-route policing imposes no route on this UE's requests until
	 * it re-registers. */
	memset(&e, 0, sizeof(e));
	if(r.aor[0] != '\0') {
		e.ids[0].s = r.aor;
		e.ids[0].len = strlen(r.aor);
		e.n_ids = 1;
	}
	switch(ifo_recovery_finish(
			x, &r, err, &e, contact_expires(&r), "lazy recovery")) {
		case IFO_RECOVER_OK:
			break;
		case IFO_RECOVER_KERNEL:
			update_stat(ifo_st_kernel_errors, 1);
			goto out;
		case IFO_RECOVER_USRLOC:
			update_stat(ifo_st_usrloc_errors, 1);
			goto out;
		default: /* a collision, counted as such */
			goto out;
	}
	update_stat(ifo_st_lazy_recovered, 1);
	LM_INFO("lazy recovery of %s (%s) from node %s: SAs and contact "
			"re-created, outbound ESP sequence numbers from %u\n",
			r.contact, r.aor, origin, oseq);
	ret = IFO_LAZY_RECOVERED;
out:
	/* the reason is counted where it was found (records_unopenable,
	 * refused_*, claims_superseded, claim_errors, spi_collisions,
	 * kernel_errors, usrloc_errors); this counts the attempts */
	if(ret == IFO_LAZY_FAILED)
		update_stat(ifo_st_lazy_failed, 1);
	ifo_record_clear(&r);
	return ret;
}

int ifo_lazy_recover(sip_msg_t *msg)
{
	hdr_field_t *hf;
	str text;
	int ret = IFO_LAZY_FAILED;

	if(msg->first_line.type != SIP_REQUEST) {
		LM_ERR("not a request\n");
		return IFO_LAZY_FAILED;
	}
	/* only the first header is used: the S-CSCF attaches one */
	hf = ifo_sip_find(msg, &ifo_cfg.header_name, NULL);
	if(hf == NULL) {
		LM_DBG("no %.*s header: nothing to recover from\n",
				ifo_cfg.header_name.len, ifo_cfg.header_name.s);
	} else {
		text = hf->body;
		trim(&text);
		if(from_scscf(&msg->rcv.src_ip))
			ret = recover(&text, GET_RURI(msg));
		else {
			update_stat(ifo_st_lazy_refused, 1);
			LM_WARN("lazy recovery of %.*s refused: the record came from "
					"%s, which is no configured S-CSCF\n",
					GET_RURI(msg)->len, GET_RURI(msg)->s,
					ip_addr2a(&msg->rcv.src_ip));
		}
	}
	/* the record is for this node only, never for the UE */
	if(ifo_sip_strip(msg, &ifo_cfg.header_name) < 0) {
		LM_ERR("%.*s header not removed: the request must not be "
			   "forwarded\n",
				ifo_cfg.header_name.len, ifo_cfg.header_name.s);
		ret = IFO_LAZY_FAILED;
	}
	return ret;
}
