/*
 * ifo_xfrm.c - XFRM netlink for IMS IPsec SAs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

#include "ifo_xfrm.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* Per UE: an SA and a policy for each of the 4 flows, and the 4 extra
 * policies of IFO_XFRM_DIALOG_POLICIES. */
#define OBJS_PER_UE_MAX 12
/* Bytes sent per batch; the kernel handles each message of a batch in
 * turn, so this only bounds our buffer and the acks in flight. */
#define BATCH_BYTES (128 * 1024)
#define RCVBUF_BYTES (4 * 1024 * 1024)

struct ifo_xfrm
{
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	unsigned int flags; /* IFO_XFRM_* */
	char *buf;
};

/* One of the four flows of a UE: the direction is as seen by the P-CSCF. */
typedef struct flow
{
	const ifo_addr_t *src, *dst;
	uint16_t sport, dport;
	uint32_t spi;
	int out;
} flow_t;

void ifo_xfrm_ids_of(const ifo_record_t *r, ifo_xfrm_ids_t *ids)
{
	const ifo_ipsec_t *s = &r->ipsec;

	memset(ids, 0, sizeof(*ids));
	ids->ue = r->ue_addr;
	ids->pcscf = r->pcscf_addr;
	ids->spi_uc = s->spi_uc;
	ids->spi_us = s->spi_us;
	ids->spi_pc = s->spi_pc;
	ids->spi_ps = s->spi_ps;
	ids->port_uc = s->port_uc;
	ids->port_us = s->port_us;
	ids->port_pc = s->port_pc;
	ids->port_ps = s->port_ps;
}

/* The same four flows as ims_ipsec_pcscf's create_ipsec_tunnel(). */
static void ue_flows(const ifo_xfrm_ids_t *s, flow_t f[4])
{
	const ifo_addr_t *ue = &s->ue, *p = &s->pcscf;

	f[0] = (flow_t){ue, p, s->port_uc, s->port_ps, s->spi_ps, 0};
	f[1] = (flow_t){p, ue, s->port_pc, s->port_us, s->spi_us, 1};
	f[2] = (flow_t){p, ue, s->port_ps, s->port_uc, s->spi_uc, 1};
	f[3] = (flow_t){ue, p, s->port_us, s->port_pc, s->spi_pc, 0};
}

/* The 4 flows of ims_ipsec_pcscf 5.8+'s "broken in-dialog routing"
 * policies: each pairs the P-CSCF's other port with the SPI of one of the
 * 4 flows above; they come with no SA of their own. */
static void dialog_flows(const ifo_xfrm_ids_t *s, flow_t f[4])
{
	const ifo_addr_t *ue = &s->ue, *p = &s->pcscf;

	f[0] = (flow_t){ue, p, s->port_uc, s->port_pc, s->spi_ps, 0};
	f[1] = (flow_t){p, ue, s->port_pc, s->port_uc, s->spi_us, 1};
	f[2] = (flow_t){p, ue, s->port_ps, s->port_us, s->spi_uc, 1};
	f[3] = (flow_t){ue, p, s->port_us, s->port_ps, s->spi_pc, 0};
}

static int objs_per_ue(const ifo_xfrm_t *x)
{
	return x->flags & IFO_XFRM_DIALOG_POLICIES ? 12 : 8;
}

/* The policy flows of a UE, main ones first; returns how many. */
static int policy_flows(const ifo_xfrm_t *x, const ifo_xfrm_ids_t *ids,
		flow_t p[8])
{
	ue_flows(ids, p);
	dialog_flows(ids, p + 4);
	return objs_per_ue(x) - 4;
}

void ifo_xfrm_set_flags(ifo_xfrm_t *x, unsigned int flags)
{
	x->flags = flags;
}

ifo_xfrm_t *ifo_xfrm_open(void)
{
	ifo_xfrm_t *x;
	int one = 1, rcvbuf = RCVBUF_BYTES, e;

	x = calloc(1, sizeof(*x));
	if(x == NULL)
		return NULL;
	x->buf = malloc(BATCH_BYTES);
	x->nl = mnl_socket_open(NETLINK_XFRM);
	if(x->buf == NULL || x->nl == NULL)
		goto fail;
	if(mnl_socket_bind(x->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* Errors then carry only the header back, which is all we match on;
	 * without it an error would echo the whole request, keys included,
	 * into our receive buffers. */
	if(mnl_socket_setsockopt(x->nl, NETLINK_CAP_ACK, &one, sizeof(one)) < 0)
		goto fail;
	/* Room for every ack of a batch; FORCE works as root, else the plain
	 * limit applies and batches just drain in more reads. */
	if(setsockopt(mnl_socket_get_fd(x->nl), SOL_SOCKET, SO_RCVBUFFORCE,
			   &rcvbuf, sizeof(rcvbuf))
			< 0)
		setsockopt(mnl_socket_get_fd(x->nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf));
	x->portid = mnl_socket_get_portid(x->nl);
	x->seq = (unsigned int)time(NULL);
	return x;
fail:
	e = errno;
	ifo_xfrm_close(x);
	errno = e ? e : ENOMEM;
	return NULL;
}

int ifo_xfrm_set_rcvbuf(ifo_xfrm_t *x, int bytes)
{
	int fd = mnl_socket_get_fd(x->nl);

	if(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0
			|| setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes))
					   == 0)
		return 0;
	return -errno;
}

void ifo_xfrm_close(ifo_xfrm_t *x)
{
	if(x == NULL)
		return;
	if(x->nl)
		mnl_socket_close(x->nl);
	if(x->buf) {
		OPENSSL_cleanse(x->buf, BATCH_BYTES);
		free(x->buf);
	}
	free(x);
}

static void put_addr(xfrm_address_t *xa, const ifo_addr_t *a)
{
	memset(xa, 0, sizeof(*xa));
	if(a->family == AF_INET)
		memcpy(&xa->a4, a->a, 4);
	else
		memcpy(xa->a6, a->a, 16);
}

/* A request of type with flags at `at`, numbered seq. */
static struct nlmsghdr *put_msg(
		char *at, uint16_t type, uint16_t flags, unsigned int seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

/* The kernel's key of an ESP SA: destination, SPI, family. */
static void put_sa_id(
		struct xfrm_usersa_id *id, const ifo_addr_t *dst, uint32_t spi)
{
	put_addr(&id->daddr, dst);
	id->spi = htonl(spi);
	id->family = dst->family;
	id->proto = IPPROTO_ESP;
}

static void fill_sel(struct xfrm_selector *sel, const flow_t *f)
{
	int bits = f->dst->family == AF_INET ? 32 : 128;

	memset(sel, 0, sizeof(*sel));
	put_addr(&sel->daddr, f->dst);
	put_addr(&sel->saddr, f->src);
	sel->dport = htons(f->dport);
	sel->dport_mask = 0xffff;
	sel->sport = htons(f->sport);
	sel->sport_mask = 0xffff;
	sel->family = f->dst->family;
	sel->prefixlen_d = bits;
	sel->prefixlen_s = bits;
	sel->user = htonl(IFO_XFRM_USER_SELECTOR);
}

static void no_limits(struct xfrm_lifetime_cfg *lft)
{
	lft->soft_byte_limit = XFRM_INF;
	lft->hard_byte_limit = XFRM_INF;
	lft->soft_packet_limit = XFRM_INF;
	lft->hard_packet_limit = XFRM_INF;
}

static void put_algo(struct nlmsghdr *nlh, int type, const char *name,
		const uint8_t *key, uint16_t key_len)
{
	struct nlattr *a;
	struct xfrm_algo *alg;

	a = mnl_nlmsg_get_payload_tail(nlh);
	a->nla_type = type;
	a->nla_len = MNL_ATTR_HDRLEN + sizeof(*alg) + key_len;
	alg = mnl_attr_get_payload(a);
	memset(alg, 0, sizeof(*alg));
	strncpy(alg->alg_name, name, sizeof(alg->alg_name) - 1);
	alg->alg_key_len = key_len * 8;
	memcpy(alg->alg_key, key, key_len);
	nlh->nlmsg_len += MNL_ALIGN(a->nla_len);
}

/* Worst case of one SA message: header, info, two algos, replay state. */
#define SA_MSG_MAX                                                      \
	(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct xfrm_usersa_info))      \
			+ 2 * MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(struct xfrm_algo) \
									+ IFO_KEY_MAX)                      \
			+ MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(struct xfrm_replay_state)))
#define POL_MSG_MAX                                                       \
	(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct xfrm_userpolicy_info))    \
			+ MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(struct xfrm_user_tmpl)))
#define UE_MSG_MAX (4 * (SA_MSG_MAX + 2 * POL_MSG_MAX))

static void put_sa(char *at, unsigned int seq, const ifo_record_t *r,
		const flow_t *f, uint32_t oseq)
{
	struct nlmsghdr *nlh = put_msg(at, XFRM_MSG_NEWSA,
			NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, seq);
	struct xfrm_usersa_info *sa;
	struct xfrm_replay_state rs;
	xfrm_address_t unused;

	sa = mnl_nlmsg_put_extra_header(nlh, sizeof(*sa));
	fill_sel(&sa->sel, f);
	put_addr(&sa->id.daddr, f->dst);
	sa->id.spi = htonl(f->spi);
	sa->id.proto = IPPROTO_ESP;
	put_addr(&sa->saddr, f->src);
	no_limits(&sa->lft);
	/* sa->seq stays 0: a non-zero value makes older kernels search every
	 * state on insert (acquire matching). */
	sa->reqid = f->spi;
	sa->family = f->dst->family;
	sa->mode = XFRM_MODE_TRANSPORT;
	sa->replay_window = IFO_XFRM_REPLAY_WINDOW;
	put_algo(nlh, XFRMA_ALG_AUTH, r->ipsec.alg, r->ipsec.ik, r->ipsec.ik_len);
	put_algo(nlh, XFRMA_ALG_CRYPT,
			r->ipsec.ealg[0] ? r->ipsec.ealg : "ecb(cipher_null)", r->ipsec.ck,
			r->ipsec.ck_len);
	/* The peer's replay window has seen the old owner's numbers: outbound
	 * SAs resume above them; inbound ones start fresh. */
	memset(&rs, 0, sizeof(rs));
	rs.oseq = f->out ? oseq : 0;
	mnl_attr_put(nlh, XFRMA_REPLAY_VAL, sizeof(rs), &rs);
	(void)unused;
}

/* XFRM_MSG_NEWPOLICY (never replacing one) or XFRM_MSG_UPDPOLICY (creating
 * or replacing the policy of that selector and direction). */
static void put_policy_msg(
		char *at, unsigned int seq, const flow_t *f, uint16_t type)
{
	struct nlmsghdr *nlh = put_msg(at, type,
			NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK
					| (type == XFRM_MSG_NEWPOLICY ? NLM_F_EXCL : 0),
			seq);
	struct xfrm_userpolicy_info *p;
	struct xfrm_user_tmpl t;

	p = mnl_nlmsg_put_extra_header(nlh, sizeof(*p));
	fill_sel(&p->sel, f);
	no_limits(&p->lft);
	p->priority = IFO_XFRM_POLICY_PRIORITY;
	p->action = XFRM_POLICY_ALLOW;
	p->share = XFRM_SHARE_ANY;
	p->dir = f->out ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
	memset(&t, 0, sizeof(t));
	put_addr(&t.id.daddr, f->dst);
	t.id.proto = IPPROTO_ESP;
	put_addr(&t.saddr, f->src);
	t.family = f->dst->family;
	t.reqid = f->spi;
	t.mode = XFRM_MODE_TRANSPORT;
	t.aalgos = ~0u;
	t.ealgos = ~0u;
	t.calgos = ~0u;
	mnl_attr_put(nlh, XFRMA_TMPL, sizeof(t), &t);
}

static void put_policy(char *at, unsigned int seq, const flow_t *f)
{
	put_policy_msg(at, seq, f, XFRM_MSG_NEWPOLICY);
}

static int put_del_sa(char *at, unsigned int seq, const flow_t *f)
{
	struct nlmsghdr *nlh =
			put_msg(at, XFRM_MSG_DELSA, NLM_F_REQUEST | NLM_F_ACK, seq);
	struct xfrm_usersa_id *id;
	xfrm_address_t saddr;

	id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	put_sa_id(id, f->dst, f->spi);
	put_addr(&saddr, f->src);
	mnl_attr_put(nlh, XFRMA_SRCADDR, sizeof(saddr), &saddr);
	return nlh->nlmsg_len;
}

/* XFRM_MSG_DELPOLICY, or XFRM_MSG_GETPOLICY (answered with the policy,
 * not with an ack). */
static int put_policy_id(
		char *at, unsigned int seq, const flow_t *f, uint16_t type)
{
	struct nlmsghdr *nlh = put_msg(at, type,
			NLM_F_REQUEST | (type == XFRM_MSG_DELPOLICY ? NLM_F_ACK : 0), seq);
	struct xfrm_userpolicy_id *id;

	id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	fill_sel(&id->sel, f);
	id->dir = f->out ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
	return nlh->nlmsg_len;
}

static int put_del_policy(char *at, unsigned int seq, const flow_t *f)
{
	return put_policy_id(at, seq, f, XFRM_MSG_DELPOLICY);
}

/* The template's reqid of a policy the kernel sent, 0 if it has none. */
static uint32_t policy_reqid(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct xfrm_userpolicy_info))
	{
		if(mnl_attr_get_type(a) == XFRMA_TMPL
				&& mnl_attr_get_payload_len(a) >= sizeof(struct xfrm_user_tmpl))
			return ((const struct xfrm_user_tmpl *)mnl_attr_get_payload(a))
					->reqid;
	}
	return 0;
}

/*
 * Reads answers until every sequence number in [first, first + count) was
 * answered; errs[k] gets 0 or -errno for message first + k. A policy sent
 * back (the answer to a GETPOLICY) counts as 0, its template's reqid going
 * to reqids[k] when reqids is given. Anything else is skipped.
 * With last_acks_all, only the last message asked for an ack: the kernel
 * handles a batch's messages in order and acks every failure anyway, so
 * once the last one is answered, any earlier one still unanswered passed.
 */
static int read_answers(ifo_xfrm_t *x, unsigned int first, int count,
		int *errs, uint32_t *reqids, int last_acks_all)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE * 4];
	int left = count, j;
	ssize_t n;

	while(left > 0) {
		const struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(x->nl, rbuf, sizeof(rbuf));
		if(n < 0) {
			int e = errno;
			OPENSSL_cleanse(rbuf, sizeof(rbuf));
			return -e;
		}
		len = (int)n;
		for(nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
				nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			unsigned int k = nlh->nlmsg_seq - first;

			if(k >= (unsigned int)count || errs[k] != 1)
				continue;
			if(nlh->nlmsg_type == XFRM_MSG_NEWPOLICY && reqids) {
				reqids[k] = policy_reqid(nlh);
				errs[k] = 0;
				left--;
			} else if(nlh->nlmsg_type == NLMSG_ERROR) {
				e = mnl_nlmsg_get_payload(nlh);
				errs[k] = e->error; /* 0 or -errno */
				left--;
			}
			if(last_acks_all && k == (unsigned int)count - 1 && errs[k] != 1)
				for(j = 0; j < count; j++)
					if(errs[j] == 1) {
						errs[j] = 0;
						left--;
					}
		}
	}
	/* answers carry no keys with NETLINK_CAP_ACK; wiped all the same */
	OPENSSL_cleanse(rbuf, sizeof(rbuf));
	return 0;
}

/* Sends [0, len) of x->buf holding `count` messages from seq `first`;
 * reqids as for read_answers(). A batch of changes (no GETs) asks for one
 * ack, on its last message: one read instead of one per object. */
static int flush_get(ifo_xfrm_t *x, size_t len, unsigned int first,
		int count, int *errs, uint32_t *reqids)
{
	struct nlmsghdr *nlh;
	int k, left = (int)len;

	if(count == 0)
		return 0;
	for(k = 0; k < count; k++)
		errs[k] = 1; /* not answered yet */
	if(reqids == NULL)
		for(nlh = (struct nlmsghdr *)x->buf; mnl_nlmsg_ok(nlh, left);
				nlh = mnl_nlmsg_next(nlh, &left))
			if(nlh->nlmsg_seq != first + (unsigned int)count - 1)
				nlh->nlmsg_flags &= ~NLM_F_ACK;
	if(mnl_socket_sendto(x->nl, x->buf, len) < 0)
		return -errno;
	return read_answers(x, first, count, errs, reqids, reqids == NULL);
}

static int flush(ifo_xfrm_t *x, size_t len, unsigned int first, int count,
		int *errs)
{
	return flush_get(x, len, first, count, errs, NULL);
}

/* Removes the objects of record r whose bit is set in `made`: bit 2k the
 * SA of flow k, bit 2k+1 its policy, bit 8+k dialog policy k. */
static void undo(ifo_xfrm_t *x, const ifo_xfrm_ids_t *ids, unsigned int made)
{
	flow_t f[4], d[4];
	int errs[OBJS_PER_UE_MAX];
	size_t len = 0;
	unsigned int first = ++x->seq;
	int k, count = 0;

	ue_flows(ids, f);
	dialog_flows(ids, d);
	/* policies first, so no packet meets a policy without its SA */
	for(k = 0; k < 4; k++)
		if(made & (1u << (2 * k + 1)))
			len += put_del_policy(x->buf + len, first + count++, &f[k]);
	for(k = 0; k < 4; k++)
		if(made & (1u << (8 + k)))
			len += put_del_policy(x->buf + len, first + count++, &d[k]);
	for(k = 0; k < 4; k++)
		if(made & (1u << (2 * k)))
			len += put_del_sa(x->buf + len, first + count++, &f[k]);
	x->seq = first + count;
	flush(x, len, first, count, errs);
}

/* Throws away whatever answers are still queued (after a failed read the
 * rest of a batch's acks may be). */
static void drain(ifo_xfrm_t *x)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE];

	while(recv(mnl_socket_get_fd(x->nl), rbuf, sizeof(rbuf), MSG_DONTWAIT)
			> 0)
		;
	OPENSSL_cleanse(rbuf, sizeof(rbuf));
}

static int sa_of(ifo_xfrm_t *x, const ifo_record_t *r, const flow_t *f,
		uint32_t *oseq);

/* One message at x->buf as a send of its own: its answer (0 or -errno),
 * reqid as for read_answers(). */
static int one(ifo_xfrm_t *x, size_t len, uint32_t *reqid)
{
	int err;

	if(flush_get(x, len, x->seq, 1, &err, reqid) < 0) {
		drain(x);
		return -EIO;
	}
	return err;
}

/*
 * After a send whose answers were lost (a failed send or read, ENOBUFS
 * say) nobody knows which of its objects the kernel made. Asks the kernel
 * about each of r's, one question per send so that no answer can be lost
 * again: removes the SAs that are r's (its keys) and the policies whose
 * template names r's SPI, leaves anything else, so the UE can be
 * installed again later without false collisions.
 */
static void remove_own(ifo_xfrm_t *x, const ifo_record_t *r)
{
	ifo_xfrm_ids_t ids;
	flow_t f[4], p[8];
	uint32_t reqid;
	int k, np;

	ifo_xfrm_ids_of(r, &ids);
	ue_flows(&ids, f);
	np = policy_flows(x, &ids, p);
	for(k = 0; k < np; k++) {
		reqid = 0;
		if(one(x, put_policy_id(x->buf, ++x->seq, &p[k], XFRM_MSG_GETPOLICY),
				   &reqid)
						== 0
				&& reqid == p[k].spi)
			one(x, put_del_policy(x->buf, ++x->seq, &p[k]), NULL);
	}
	for(k = 0; k < 4; k++)
		if(sa_of(x, r, &f[k], NULL) == 1)
			one(x, put_del_sa(x->buf, ++x->seq, &f[k]), NULL);
}

int ifo_xfrm_install(ifo_xfrm_t *x, const ifo_record_t *const *recs,
		const uint32_t *oseq, int n, int *err)
{
	int *errs;
	int per = objs_per_ue(x);
	int max_ues = BATCH_BYTES / UE_MSG_MAX;
	int done = 0, i, rc = 0, lost = 0;

	if(n <= 0)
		return 0;
	errs = malloc(sizeof(int) * per * max_ues);
	if(errs == NULL)
		return -ENOMEM;
	for(i = 0; i < n; i += max_ues) {
		int m = n - i < max_ues ? n - i : max_ues;
		unsigned int first = x->seq + 1;
		size_t len = 0;
		int j, k;

		for(j = 0; j < m; j++) {
			flow_t f[4], d[4];
			ifo_xfrm_ids_t ids;
			unsigned int s = first + j * per;

			ifo_xfrm_ids_of(recs[i + j], &ids);
			ue_flows(&ids, f);
			dialog_flows(&ids, d);
			for(k = 0; k < 4; k++) {
				put_sa(x->buf + len, s + 2 * k, recs[i + j], &f[k], oseq[i + j]);
				len += ((struct nlmsghdr *)(x->buf + len))->nlmsg_len;
				put_policy(x->buf + len, s + 2 * k + 1, &f[k]);
				len += ((struct nlmsghdr *)(x->buf + len))->nlmsg_len;
			}
			for(k = 0; k < per - 8; k++) {
				put_policy(x->buf + len, s + 8 + k, &d[k]);
				len += ((struct nlmsghdr *)(x->buf + len))->nlmsg_len;
			}
		}
		x->seq = first + m * per;
		rc = flush(x, len, first, m * per, errs);
		OPENSSL_cleanse(x->buf, len);
		if(rc < 0) {
			/* uncertain: take back exactly what this batch may have made,
			 * report its UEs failed, and go on with the next batch */
			drain(x);
			for(j = 0; j < m; j++) {
				remove_own(x, recs[i + j]);
				err[i + j] = rc;
			}
			lost = rc;
			continue;
		}
		for(j = 0; j < m; j++) {
			unsigned int made = 0;
			int first_err = 0;

			for(k = 0; k < per; k++) {
				int e = errs[j * per + k];
				if(e == 0)
					made |= 1u << k;
				else if(first_err == 0)
					first_err = e;
			}
			err[i + j] = first_err;
			if(first_err == 0)
				done++;
			else if(made) {
				ifo_xfrm_ids_t ids;

				ifo_xfrm_ids_of(recs[i + j], &ids);
				undo(x, &ids, made);
			}
		}
	}
	free(errs);
	return lost && done == 0 ? lost : done;
}

int ifo_xfrm_remove(ifo_xfrm_t *x, const ifo_record_t *r)
{
	ifo_xfrm_ids_t ids;

	ifo_xfrm_ids_of(r, &ids);
	return ifo_xfrm_remove_ids(x, &ids);
}

int ifo_xfrm_remove_ids(ifo_xfrm_t *x, const ifo_xfrm_ids_t *ids)
{
	flow_t f[4], p[8];
	int errs[OBJS_PER_UE_MAX];
	uint32_t reqids[8];
	size_t len = 0;
	unsigned int first = x->seq + 1;
	int k, rc, np, removed = 0, count = 0;

	/* Another SA set of the same UE may have taken over a selector (a
	 * re-registration given the same P-CSCF port): only the policies
	 * whose template still names one of these SPIs are this set's. */
	np = policy_flows(x, ids, p);
	for(k = 0; k < np; k++)
		len += put_policy_id(x->buf + len, first + k, &p[k], XFRM_MSG_GETPOLICY);
	x->seq = first + np;
	memset(reqids, 0, sizeof(reqids));
	rc = flush_get(x, len, first, np, errs, reqids);
	if(rc < 0)
		return rc;
	ue_flows(ids, f);
	len = 0;
	first = x->seq + 1;
	for(k = 0; k < np; k++)
		if(errs[k] == 0 && reqids[k] == p[k].spi)
			len += put_del_policy(x->buf + len, first + count++, &p[k]);
	for(k = 0; k < 4; k++)
		len += put_del_sa(x->buf + len, first + count++, &f[k]);
	x->seq = first + count;
	rc = flush(x, len, first, count, errs);
	if(rc < 0)
		return rc;
	for(k = 0; k < count; k++)
		if(errs[k] == 0)
			removed++;
	return removed;
}

int ifo_xfrm_adopt_policies(ifo_xfrm_t *x, const ifo_xfrm_ids_t *ids)
{
	flow_t p[8];
	int errs[8];
	size_t len = 0;
	unsigned int first = x->seq + 1;
	int k, rc, np;

	np = policy_flows(x, ids, p);
	for(k = 0; k < np; k++) {
		put_policy_msg(x->buf + len, first + k, &p[k], XFRM_MSG_UPDPOLICY);
		len += ((struct nlmsghdr *)(x->buf + len))->nlmsg_len;
	}
	x->seq = first + np;
	rc = flush(x, len, first, np, errs);
	if(rc < 0)
		return rc;
	for(k = 0; k < np; k++)
		if(errs[k] != 0)
			return errs[k];
	return 0;
}

/* One SA of r's, if the kernel has it: 1 if it is r's own (r's keys under
 * ims_ipsec_pcscf's selector tag), 0 if absent, 2 if it is someone
 * else's, -errno if the lookup failed. *oseq (if not NULL) gets the
 * outbound sequence number it reached. */
static int sa_of(ifo_xfrm_t *x, const ifo_record_t *r, const flow_t *f,
		uint32_t *oseq)
{
	ifo_xfrm_sa_t sa;
	int rc = ifo_xfrm_get_sa(x, f->src, f->dst, f->spi, &sa);

	if(oseq)
		*oseq = sa.oseq;
	if(rc == 1)
		return 0;
	if(rc == 0) {
		rc = sa.sel_user == IFO_XFRM_USER_SELECTOR
							 && sa.auth_key_len == r->ipsec.ik_len
							 && sa.enc_key_len == r->ipsec.ck_len
							 && CRYPTO_memcmp(sa.auth_key, r->ipsec.ik,
										sa.auth_key_len)
										== 0
							 && CRYPTO_memcmp(
										sa.enc_key, r->ipsec.ck, sa.enc_key_len)
										== 0
					 ? 1
					 : 2;
	}
	OPENSSL_cleanse(&sa, sizeof(sa));
	return rc;
}

/* XFRM_MSG_NEWAE: the SA's replay state becomes oseq, with the inbound
 * part zero (an outbound SA keeps nothing there). */
static size_t put_oseq(
		char *at, unsigned int seq, const flow_t *f, uint32_t oseq)
{
	/* the kernel refuses a NEWAE without NLM_F_REPLACE */
	struct nlmsghdr *nlh = put_msg(at, XFRM_MSG_NEWAE,
			NLM_F_REQUEST | NLM_F_REPLACE | NLM_F_ACK, seq);
	struct xfrm_aevent_id *ae;
	struct xfrm_replay_state rs;

	ae = mnl_nlmsg_put_extra_header(nlh, sizeof(*ae));
	put_sa_id(&ae->sa_id, f->dst, f->spi);
	put_addr(&ae->saddr, f->src);
	ae->reqid = f->spi;
	ae->flags = XFRM_AE_RVAL;
	memset(&rs, 0, sizeof(rs));
	rs.oseq = oseq;
	mnl_attr_put(nlh, XFRMA_REPLAY_VAL, sizeof(rs), &rs);
	return nlh->nlmsg_len;
}

int ifo_xfrm_raise_oseq(ifo_xfrm_t *x, const ifo_record_t *r, uint32_t oseq)
{
	ifo_xfrm_ids_t ids;
	flow_t f[4];
	int k, rc;
	uint32_t at;

	ifo_xfrm_ids_of(r, &ids);
	ue_flows(&ids, f);
	for(k = 0; k < 4; k++) {
		if(!f[k].out)
			continue;
		rc = sa_of(x, r, &f[k], &at);
		if(rc < 0)
			return rc;
		if(rc != 1)
			return -ENOENT;
		/* never back: the UE would drop what follows as replays */
		if(at >= oseq)
			continue;
		rc = one(x, put_oseq(x->buf, ++x->seq, &f[k], oseq), NULL);
		if(rc < 0)
			return rc;
	}
	return 0;
}

int ifo_xfrm_clear_leftovers(ifo_xfrm_t *x, const ifo_record_t *r)
{
	ifo_xfrm_ids_t ids;
	flow_t f[4], p[8];
	int errs[8];
	uint32_t reqids[8];
	size_t len = 0;
	unsigned int first;
	int k, rc, np;

	ifo_xfrm_ids_of(r, &ids);
	ue_flows(&ids, f);
	for(k = 0; k < 4; k++) {
		rc = sa_of(x, r, &f[k], NULL);
		if(rc < 0)
			return rc;
		if(rc == 2)
			return 0;
	}
	/* a policy for one of r's selectors naming another SPI is another
	 * SA set's (this UE's or not): it stays, and r is not recovered */
	np = policy_flows(x, &ids, p);
	first = x->seq + 1;
	for(k = 0; k < np; k++)
		len += put_policy_id(x->buf + len, first + k, &p[k], XFRM_MSG_GETPOLICY);
	x->seq = first + np;
	memset(reqids, 0, sizeof(reqids));
	rc = flush_get(x, len, first, np, errs, reqids);
	if(rc < 0)
		return rc;
	for(k = 0; k < np; k++)
		if(errs[k] == 0 && reqids[k] != p[k].spi)
			return 0;
	rc = ifo_xfrm_remove_ids(x, &ids);
	return rc < 0 ? rc : 1;
}

static void copy_algo(const struct nlattr *attr, char *name, uint8_t *key,
		uint16_t *key_len)
{
	const struct xfrm_algo *alg = mnl_attr_get_payload(attr);
	size_t bytes;

	if(mnl_attr_get_payload_len(attr) < sizeof(*alg))
		return;
	bytes = (alg->alg_key_len + 7) / 8;
	if(bytes > IFO_XFRM_KEY_MAX
			|| sizeof(*alg) + bytes > mnl_attr_get_payload_len(attr))
		return;
	memcpy(name, alg->alg_name, IFO_XFRM_ALGNAME_MAX - 1);
	name[IFO_XFRM_ALGNAME_MAX - 1] = '\0';
	memcpy(key, alg->alg_key, bytes);
	*key_len = (uint16_t)bytes;
}

static int sa_attr_cb(const struct nlattr *attr, void *data)
{
	ifo_xfrm_sa_t *sa = data;
	const struct xfrm_replay_state *rs;

	switch(mnl_attr_get_type(attr)) {
		case XFRMA_ALG_AUTH:
			copy_algo(attr, sa->auth_name, sa->auth_key, &sa->auth_key_len);
			break;
		case XFRMA_ALG_CRYPT:
			copy_algo(attr, sa->enc_name, sa->enc_key, &sa->enc_key_len);
			break;
		case XFRMA_REPLAY_VAL:
			if(mnl_attr_get_payload_len(attr) >= sizeof(*rs)) {
				rs = mnl_attr_get_payload(attr);
				sa->oseq = rs->oseq;
			}
			break;
	}
	return MNL_CB_OK;
}

static int sa_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	ifo_xfrm_sa_t *sa = data;
	const struct xfrm_usersa_info *info;

	if(nlh->nlmsg_type != XFRM_MSG_NEWSA)
		return MNL_CB_OK;
	info = mnl_nlmsg_get_payload(nlh);
	sa->spi = ntohl(info->id.spi);
	sa->reqid = info->reqid;
	sa->sel_user = ntohl(info->sel.user);
	sa->mode = info->mode;
	sa->replay_window = info->replay_window;
	return mnl_attr_parse(nlh, sizeof(*info), sa_attr_cb, sa);
}

int ifo_xfrm_get_sa(ifo_xfrm_t *x, const ifo_addr_t *src,
		const ifo_addr_t *dst, uint32_t spi, ifo_xfrm_sa_t *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct xfrm_usersa_id *id;
	xfrm_address_t saddr;
	unsigned int seq;
	ssize_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	seq = ++x->seq;
	nlh = put_msg(buf, XFRM_MSG_GETSA, NLM_F_REQUEST, seq);
	id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	put_sa_id(id, dst, spi);
	put_addr(&saddr, src);
	mnl_attr_put(nlh, XFRMA_SRCADDR, sizeof(saddr), &saddr);
	if(mnl_socket_sendto(x->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	/* A GET is answered by exactly one message: the SA, or an error. */
	n = mnl_socket_recvfrom(x->nl, buf, sizeof(buf));
	if(n < 0) {
		rc = errno;
		OPENSSL_cleanse(buf, sizeof(buf));
		return -rc;
	}
	rc = mnl_cb_run(buf, n, seq, x->portid, sa_msg_cb, out);
	OPENSSL_cleanse(buf, sizeof(buf));
	if(rc == -1) {
		rc = errno;
		memset(out, 0, sizeof(*out));
		return rc == ESRCH || rc == ENOENT ? 1 : -rc;
	}
	return out->spi == spi ? 0 : 1;
}
