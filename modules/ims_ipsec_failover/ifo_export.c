/*
 * Export of a UE's SA and registration state on a protected REGISTER.
 *
 * The kernel is the source of truth for the SAs: the REGISTER's
 * Security-Client and Security-Verify name the four SPIs and ports, and
 * the keys and algorithms are read back from the SAs ims_ipsec_pcscf
 * installed (checked by its selector tag). That works the same on the
 * first protected REGISTER and on every re-REGISTER, where the stock
 * module keeps the new CK/IK nowhere else.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/counters.h"
#include "core/parser/contact/parse_contact.h"
#include "core/parser/parse_expires.h"
#include "core/parser/parse_to.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_seal.h"
#include "ifo/ifo_secagree.h"
#include "ifo_config.h"
#include "ifo_export.h"
#include "ifo_shared.h"
#include "ifo_keys.h"
#include "ifo_sip.h"
#include "ifo_stats.h"
#include "ifo_netlink.h"

static str hdr_sec_client = str_init("Security-Client");
static str hdr_sec_verify = str_init("Security-Verify");

/* Wall-clock microseconds keep generations increasing across the pool as
 * long as clocks are synchronised; within a process they never repeat. */
static int to_ifo_addr(const struct ip_addr *ip, ifo_addr_t *a)
{
	memset(a, 0, sizeof(*a));
	if(ip->af == AF_INET && ip->len == 4) {
		a->family = AF_INET;
		memcpy(a->a, ip->u.addr, 4);
		return 0;
	}
	if(ip->af == AF_INET6 && ip->len == 16) {
		a->family = AF_INET6;
		memcpy(a->a, ip->u.addr, 16);
		return 0;
	}
	return -1;
}

static int copy_str(char *dst, size_t max, const char *s, int len)
{
	if(len < 0 || (size_t)len > max)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int get_secagree(sip_msg_t *msg, str *name, ifo_secagree_t *sa)
{
	hdr_field_t *hf = ifo_sip_find(msg, name, NULL);

	if(hf == NULL)
		return 1;
	return ifo_secagree_parse(hf->body.s, hf->body.len, sa) == IFO_OK ? 0 : -1;
}

/* Requested registration period of the first contact, as the registrar
 * will see it: its expires parameter, else the Expires header; 0 for a
 * de-registration, *first then being NULL for "Contact: *". */
static int requested_expires(sip_msg_t *msg, contact_t **first)
{
	contact_body_t *cb;
	unsigned int v;

	*first = NULL;
	if(parse_contact_headers(msg) < 0 || msg->contact == NULL)
		return -1;
	cb = (contact_body_t *)msg->contact->parsed;
	if(cb == NULL)
		return -1;
	/* "Contact: *" removes every binding of the AOR; RFC 3261 10.2.2 only
	 * allows it with Expires: 0 and the registrar refuses it otherwise,
	 * so either way there is no registration to export. */
	if(cb->star)
		return 0;
	if(cb->contacts == NULL)
		return -1;
	*first = cb->contacts;
	if(cb->contacts->expires && cb->contacts->expires->body.len > 0) {
		if(str2int(&cb->contacts->expires->body, &v) < 0)
			return -1;
		return (int)v;
	}
	if(msg->expires && parse_expires(msg->expires) == 0) {
		exp_body_t *e = (exp_body_t *)msg->expires->parsed;
		if(e && e->valid)
			return (int)e->val;
	}
	return ifo_cfg.default_expires;
}

/* Kernel algorithm names back to the sec-agree names usrloc stores. */
static const char *secagree_alg(const char *kernel)
{
	if(strcmp(kernel, "hmac(md5)") == 0 || strcmp(kernel, "md5") == 0)
		return "hmac-md5-96";
	if(strcmp(kernel, "hmac(sha1)") == 0 || strcmp(kernel, "sha1") == 0)
		return "hmac-sha-1-96";
	return NULL;
}

static const char *secagree_ealg(const char *kernel)
{
	if(strcmp(kernel, "cbc(aes)") == 0 || strcmp(kernel, "aes") == 0)
		return "aes-cbc";
	if(strcmp(kernel, "cbc(des3_ede)") == 0 || strcmp(kernel, "des3_ede") == 0)
		return "des-ede3-cbc";
	if(kernel[0] == '\0' || strcmp(kernel, "ecb(cipher_null)") == 0
			|| strcmp(kernel, "cipher_null") == 0)
		return "null";
	return NULL;
}

/* A re-registration's new SA set may get the P-CSCF ports of the set in
 * use: Kamailio 6.0 shares ports among UEs by design, and on 5.6 a UE
 * recovered from a peer holds ports this node's pool knows nothing of and
 * may hand out again. The selectors both sets share then kept the old
 * set's policies (the stock module's for the new set failed unnoticed).
 * The set this REGISTER came over is the one the UE uses from now on. */
static void adopt_policies(const ifo_record_t *r)
{
	ifo_xfrm_t *x = ifo_xfrm();
	ifo_xfrm_ids_t ids;
	int rc;

	if(x == NULL)
		return;
	ifo_xfrm_ids_of(r, &ids);
	rc = ifo_xfrm_adopt_policies(x, &ids);
	if(rc < 0)
		LM_WARN("%s: the policies of its new SA set not all set: %s\n",
				r->contact, strerror(-rc));
}

/* Checks one of the four SAs; the inbound UE->P one also yields keys. */
static int check_sa(const ifo_addr_t *src, const ifo_addr_t *dst, uint32_t spi,
		ifo_xfrm_sa_t *sa, const char **why)
{
	ifo_xfrm_t *x = ifo_xfrm();
	int rc = x ? ifo_xfrm_get_sa(x, src, dst, spi, sa) : -1;

	if(rc < 0) {
		*why = "kernel SA lookup failed";
		return -1;
	}
	if(rc > 0) {
		*why = "an SA named by Security-Client/Verify is not in the kernel";
		return -1;
	}
	if(sa->sel_user != IFO_XFRM_USER_SELECTOR) {
		*why = "an SA is not owned by ims_ipsec_pcscf";
		return -1;
	}
	return 0;
}

static int fill_sas(ifo_record_t *r, const char **why)
{
	ifo_xfrm_sa_t sa;
	const char *alg, *ealg;
	int rc = -1;

	/* keys and algorithms from UE -> P-CSCF (spi_ps), the SA the REGISTER
	 * itself came over; the other three only have to be there */
	if(check_sa(&r->ue_addr, &r->pcscf_addr, r->ipsec.spi_ps, &sa, why) < 0)
		goto done;
	alg = secagree_alg(sa.auth_name);
	ealg = secagree_ealg(sa.enc_name);
	if(alg == NULL || ealg == NULL || sa.auth_key_len > IFO_KEY_MAX
			|| sa.enc_key_len > IFO_KEY_MAX) {
		*why = "the SA uses an algorithm ims_ipsec_pcscf does not set up";
		goto done;
	}
	strcpy(r->ipsec.alg, sa.auth_name);
	strcpy(r->ipsec.r_alg, alg);
	strcpy(r->ipsec.ealg, sa.enc_name);
	strcpy(r->ipsec.r_ealg, ealg);
	memcpy(r->ipsec.ik, sa.auth_key, sa.auth_key_len);
	r->ipsec.ik_len = sa.auth_key_len;
	memcpy(r->ipsec.ck, sa.enc_key, sa.enc_key_len);
	r->ipsec.ck_len = sa.enc_key_len;
	OPENSSL_cleanse(&sa, sizeof(sa));

	/* The two P-CSCF -> UE SAs are the ones whose sequence numbers the UE's
	 * replay window has seen. What they reached now is only a lower bound
	 * of what this node will have sent when a peer takes over, which is
	 * why the taker starts a whole seq_stride above the hint. */
	if(check_sa(&r->pcscf_addr, &r->ue_addr, r->ipsec.spi_us, &sa, why) < 0)
		goto done;
	r->seq_hint = sa.oseq;
	if(check_sa(&r->pcscf_addr, &r->ue_addr, r->ipsec.spi_uc, &sa, why) < 0)
		goto done;
	if(sa.oseq > r->seq_hint)
		r->seq_hint = sa.oseq;
	if(check_sa(&r->ue_addr, &r->pcscf_addr, r->ipsec.spi_pc, &sa, why) < 0)
		goto done;
	adopt_policies(r);
	rc = 0;
done:
	OPENSSL_cleanse(&sa, sizeof(sa));
	return rc;
}

/* Builds the record; returns 0, 1 (nothing to export) or -1 with *why. */
static int build_record(sip_msg_t *msg, ifo_record_t *r, const char **why)
{
	ifo_secagree_t client, verify;
	contact_t *ct;
	struct to_body *to;
	char host[IP_ADDR_MAX_STR_SIZE];
	int rc, exp, len;

	if(msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_REGISTER) {
		*why = "not a REGISTER";
		return 1;
	}
	rc = get_secagree(msg, &hdr_sec_verify, &verify);
	if(rc > 0)
		return 1; /* unprotected: no SAs to export yet */
	if(rc < 0) {
		*why = "malformed Security-Verify";
		return -1;
	}
	if(get_secagree(msg, &hdr_sec_client, &client) != 0) {
		*why = "missing or malformed Security-Client";
		return -1;
	}
	exp = requested_expires(msg, &ct);
	if(exp < 0) {
		*why = "no usable Contact";
		return -1;
	}
	if(exp == 0)
		return 1; /* de-registration: the S-CSCF drops the record */
	if(msg->rcv.dst_port != verify.port_s) {
		*why = "the REGISTER did not arrive over the protected ports";
		return -1;
	}
	if(msg->rcv.src_port != client.port_c) {
		/* The first leg of a re-registration: it comes over the SAs in
		 * use and offers a new set, which exists only after the 401. The
		 * answer over the new set is the one to export. */
		return 1;
	}

	memcpy(r->node, ifo_cfg.node_id.s, ifo_cfg.node_id.len);
	r->generation = ifo_next_generation();
	r->expires = (uint64_t)time(NULL) + (uint64_t)exp + ifo_cfg.record_grace;
	if(copy_str(r->contact, IFO_URI_MAX, ct->uri.s, ct->uri.len) < 0) {
		*why = "Contact URI too long";
		return -1;
	}
	if(msg->to == NULL && parse_headers(msg, HDR_TO_F, 0) < 0) {
		*why = "no To header";
		return -1;
	}
	to = get_to(msg);
	if(msg->to == NULL || to == NULL
			|| copy_str(r->aor, IFO_URI_MAX, to->uri.s, to->uri.len) < 0) {
		*why = "unusable To header";
		return -1;
	}
	if(to_ifo_addr(&msg->rcv.src_ip, &r->ue_addr) < 0
			|| to_ifo_addr(&msg->rcv.dst_ip, &r->pcscf_addr) < 0) {
		*why = "unsupported address family";
		return -1;
	}
	len = ip_addr2sbuf(&msg->rcv.src_ip, host, sizeof(host) - 1);
	host[len] = '\0';
	strcpy(r->received_host, host);
	r->received_port = msg->rcv.src_port;
	r->received_proto = (uint8_t)msg->rcv.proto;
	if(msg->via1 == NULL
			|| copy_str(r->via_host, IFO_HOST_MAX, msg->via1->host.s,
					   msg->via1->host.len)
					   < 0) {
		*why = "unusable Via";
		return -1;
	}
	r->via_port = msg->via1->port ? msg->via1->port : SIP_PORT;
	r->via_proto = (uint8_t)msg->via1->proto;
	r->pcscf_port = msg->rcv.dst_port;

	r->ipsec.spi_uc = client.spi_c;
	r->ipsec.spi_us = client.spi_s;
	r->ipsec.port_uc = client.port_c;
	r->ipsec.port_us = client.port_s;
	r->ipsec.spi_pc = verify.spi_c;
	r->ipsec.spi_ps = verify.spi_s;
	r->ipsec.port_pc = verify.port_c;
	r->ipsec.port_ps = verify.port_s;
	strcpy(r->ipsec.prot, client.prot[0] ? client.prot : "esp");
	strcpy(r->ipsec.mod, client.mod[0] ? client.mod : "trans");
	return fill_sas(r, why) < 0 ? -1 : 0;
}

static int failed(sip_msg_t *msg, const char *why, const str *contact)
{
	update_stat(ifo_st_export_failed, 1);
	LM_WARN("no SA record exported for %.*s (Call-ID %.*s): %s\n", contact->len,
			contact->s, msg->callid ? msg->callid->body.len : 0,
			msg->callid ? msg->callid->body.s : "", why);
	return ifo_cfg.export_required ? IFO_EXPORT_FAILED : IFO_EXPORT_FAILED_OK;
}

int ifo_export_register(sip_msg_t *msg)
{
	const ifo_keyring_t *kr;
	ifo_record_t r;
	char text[IFO_TEXT_MAX];
	char cbuf[IFO_URI_MAX + 1] = "<unknown contact>";
	const char *why = "";
	str contact, val;
	size_t len;
	int rc;

	ifo_record_init(&r);
	rc = build_record(msg, &r, &why);
	if(rc == 0 || r.contact[0])
		strcpy(cbuf, r.contact);
	contact.s = cbuf;
	contact.len = strlen(cbuf);
	if(rc > 0) {
		ifo_record_clear(&r);
		return IFO_EXPORT_SKIPPED;
	}
	if(rc < 0) {
		ifo_record_clear(&r);
		return failed(msg, why, &contact);
	}
	kr = ifo_keys_get();
	if(kr == NULL) {
		ifo_record_clear(&r);
		return failed(msg, ifo_keys_error(), &contact);
	}
	rc = ifo_seal(kr, &r, text, sizeof(text), &len);
	ifo_record_clear(&r);
	if(rc != IFO_OK)
		return failed(msg, ifo_strerror(rc), &contact);
	val.s = text;
	val.len = (int)len;
	if(ifo_sip_append(msg, &ifo_cfg.header_name, &val) < 0)
		return failed(msg, "cannot add the header", &contact);
	update_stat(ifo_st_exported, 1);
	LM_DBG("exported SA record for %.*s (%d bytes)\n", contact.len, contact.s,
			val.len);
	return IFO_EXPORTED;
}
