/*
 * ipsec_failover_destroy(): the contact is found as ims_ipsec_pcscf finds
 * it for a reply, from the request of the reply's transaction: its first
 * Via (the UE's), its source address and its first Contact.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/mem/mem.h"
#include "core/parser/contact/parse_contact.h"
#include "core/parser/parse_uri.h"
#include "modules/tm/tm_load.h"

#include "ifo_destroy.h"
#include "ifo_usrloc.h"

static struct tm_binds tmb;

int ifo_destroy_init(void)
{
	if(load_tm_api(&tmb) != 0) {
		LM_ERR("cannot bind tm: load it before this module\n");
		return -1;
	}
	return 0;
}

/* A parsed pkg copy of the transaction's request (the shm clone must not
 * be parsed further). */
static int request_copy(struct cell *t, sip_msg_t *m, char **buf)
{
	sip_msg_t *req = t->uas.request;

	memset(m, 0, sizeof(*m));
	*buf = pkg_malloc(req->len + 1);
	if(*buf == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(*buf, req->buf, req->len);
	(*buf)[req->len] = '\0';
	m->buf = *buf;
	m->len = req->len;
	m->rcv = req->rcv;
	if(parse_msg(m->buf, m->len, m) != 0 || parse_headers(m, HDR_EOH_F, 0) < 0
			|| m->via1 == NULL || parse_contact_headers(m) < 0
			|| m->contact == NULL || m->contact->parsed == NULL
			|| ((contact_body_t *)m->contact->parsed)->contacts == NULL) {
		LM_ERR("cannot parse the de-registration request again\n");
		free_sip_msg(m);
		pkg_free(*buf);
		return -1;
	}
	return 0;
}

int ifo_destroy_reply(sip_msg_t *msg)
{
	usrloc_api_t *ul = ifo_usrloc_api();
	udomain_t *d = ifo_usrloc_domain();
	struct cell *t;
	sip_msg_t req;
	pcontact_info_t ci;
	pcontact_t *c = NULL;
	char host[IP_ADDR_MAX_STR_SIZE + 2];
	char *buf;
	int ret = -1;

	if(msg->first_line.type != SIP_REPLY) {
		LM_ERR("only for replies\n");
		return -1;
	}
	t = tmb.t_gett();
	if(t == NULL || t == T_UNDEFINED || t->uas.request == NULL) {
		LM_ERR("reply without a transaction\n");
		return -1;
	}
	if(request_copy(t, &req, &buf) < 0)
		return -1;
	memset(&ci, 0, sizeof(ci));
	ci.aor = ((contact_body_t *)req.contact->parsed)->contacts->uri;
	ci.via_host = req.via1->host;
	ci.via_port = req.via1->port ? req.via1->port : SIP_PORT;
	ci.via_prot = req.via1->proto;
	ci.received_host.s = host;
	ci.received_host.len = ip_addr2sbuf(&req.rcv.src_ip, host, sizeof(host));
	ci.received_port = req.rcv.src_port;
	ci.received_proto = req.rcv.proto;
	ci.searchflag = SEARCH_RECEIVED;
	ci.reg_state = PCONTACT_ANY;
	ul->lock_udomain(d, &ci.via_host, ci.via_port, ci.via_prot);
	if(ul->get_pcontact(d, &ci, &c, 0) == 0 && c != NULL
			&& ifo_usrloc_is_recovered(c)) {
		/* never the stock function for it, even if this failed: the
		 * contact's end tries again */
		ret = 1;
		if(ifo_usrloc_destroy(c) == 0)
			LM_INFO("de-registration of recovered UE %.*s: its SAs removed\n",
					c->aor.len, c->aor.s);
		else
			LM_ERR("de-registration of recovered UE %.*s: its SAs not "
				   "removed yet\n",
					c->aor.len, c->aor.s);
	}
	ul->unlock_udomain(d, &ci.via_host, ci.via_port, ci.via_prot);
	free_sip_msg(&req);
	pkg_free(buf);
	return ret;
}
