/*
 * SIP over TCP from the takeover process to the S-CSCFs.
 *
 * A blocking client on purpose: the takeover runs in an RPC or start-up
 * process that has nothing else to do, and the stock transaction layer
 * would hand the answers to another process.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/trim.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_content.h"
#include "core/parser/parse_cseq.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_proto.h"
#include "ifo_stats.h"
#include "ifo_fetch.h"
#include "ifo_sip.h"

#define HDR_MAX 8192
/*
 * Largest answer body accepted. It cannot follow from the page size: 200
 * records of up to IFO_TEXT_MAX - 1 = 1506 characters are 301,200 bytes
 * of record text alone, and the rest of a line (percent-encoded contact,
 * Path, up to 16 routes and 16 identities) has no fixed bound. The S-CSCF
 * therefore bounds an answer to 60 KiB, cutting the page short with a
 * cursor to resume from (the takeover loops until the cursor is 0, never
 * on the record count); this leaves it 4 times that.
 */
#define BODY_MAX (256 * 1024)

struct ifo_conn
{
	const ifo_peer_t *peer;
	int fd;
	int timeout_ms;
	unsigned int cseq;
	char local[64]; /* our address as ip:port, for Via */
	char callid[40];
	char *buf;
	size_t have;	 /* bytes in buf */
	size_t consumed; /* of them, the last answer returned */
};

int ifo_peer_parse(const char *text, ifo_peer_t *p)
{
	char host[64];
	const char *colon;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&p->addr;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&p->addr;
	int port;

	memset(p, 0, sizeof(*p));
	if(strlen(text) >= sizeof(p->text))
		return -1;
	strcpy(p->text, text);
	if(text[0] == '[') {
		const char *end = strchr(text, ']');
		if(end == NULL || end[1] != ':' || (size_t)(end - text) >= sizeof(host))
			return -1;
		memcpy(host, text + 1, end - text - 1);
		host[end - text - 1] = '\0';
		colon = end + 1;
	} else {
		colon = strrchr(text, ':');
		if(colon == NULL || (size_t)(colon - text) >= sizeof(host))
			return -1;
		memcpy(host, text, colon - text);
		host[colon - text] = '\0';
	}
	port = atoi(colon + 1);
	if(port <= 0 || port > 65535)
		return -1;
	if(inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		p->addr_len = sizeof(*s4);
		return 0;
	}
	if(inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		p->addr_len = sizeof(*s6);
		return 0;
	}
	return -1;
}

static void rand_hex(char *out, int bytes)
{
	unsigned char b[16];
	int i;

	if(bytes > 16)
		bytes = 16;
	if(RAND_bytes(b, bytes) != 1)
		memset(b, 0x5a, sizeof(b));
	for(i = 0; i < bytes; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void fmt_addr(const struct sockaddr_storage *a, char *out, size_t n)
{
	char ip[INET6_ADDRSTRLEN];

	if(a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)a;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(out, n, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)a;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(out, n, "%s:%u", ip, ntohs(s4->sin_port));
	}
}

ifo_conn_t *ifo_conn_open(const ifo_peer_t *p, int timeout_ms)
{
	ifo_conn_t *c;
	struct sockaddr_storage local;
	socklen_t llen = sizeof(local);
	struct pollfd pfd;
	int one = 1, err = 0;
	socklen_t elen = sizeof(err);

	c = pkg_malloc(sizeof(*c));
	if(c == NULL) {
		PKG_MEM_ERROR;
		return NULL;
	}
	memset(c, 0, sizeof(*c));
	c->peer = p;
	c->timeout_ms = timeout_ms;
	c->buf = pkg_malloc(HDR_MAX + BODY_MAX + 1);
	c->fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if(c->buf == NULL || c->fd < 0) {
		LM_ERR("no socket or memory for S-CSCF %s\n", p->text);
		goto fail;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if(connect(c->fd, (const struct sockaddr *)&p->addr, p->addr_len) < 0
			&& errno != EINPROGRESS) {
		LM_ERR("cannot connect to S-CSCF %s: %s\n", p->text, strerror(errno));
		goto fail;
	}
	pfd.fd = c->fd;
	pfd.events = POLLOUT;
	if(poll(&pfd, 1, timeout_ms) != 1
			|| getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0
			|| err != 0) {
		LM_ERR("cannot connect to S-CSCF %s: %s\n", p->text,
				err ? strerror(err) : "timeout");
		goto fail;
	}
	getsockname(c->fd, (struct sockaddr *)&local, &llen);
	fmt_addr(&local, c->local, sizeof(c->local));
	rand_hex(c->callid, 12);
	return c;
fail:
	ifo_conn_close(c);
	return NULL;
}

void ifo_conn_close(ifo_conn_t *c)
{
	if(c == NULL)
		return;
	if(c->fd >= 0)
		close(c->fd);
	if(c->buf)
		pkg_free(c->buf);
	pkg_free(c);
}

static int send_all(ifo_conn_t *c, const char *p, size_t n)
{
	struct pollfd pfd = {.fd = c->fd, .events = POLLOUT};

	while(n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if(w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if(poll(&pfd, 1, c->timeout_ms) != 1)
				return -1;
			continue;
		}
		if(w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Value of header `name` of the parsed answer m, trimmed, or NULL. */
static const char *hdr_value(sip_msg_t *m, const char *name, size_t *vlen)
{
	str n = {(char *)name, (int)strlen(name)}, v;
	hdr_field_t *hf = ifo_sip_find(m, &n, NULL);

	if(hf == NULL)
		return NULL;
	v = hf->body;
	trim(&v);
	*vlen = (size_t)v.len;
	return v.s;
}

/* Is m (headers parsed) the answer to the request in flight on c, sent
 * with branch? CSeq number and method, and the Via branch, must match. */
static int answers_ours(ifo_conn_t *c, sip_msg_t *m, const char *branch)
{
	struct cseq_body *cs;
	str b;
	char num[16];
	int nl;

	if(m->first_line.type != SIP_REPLY || m->cseq == NULL
			|| m->via1 == NULL || m->via1->branch == NULL)
		return 0;
	cs = get_cseq(m);
	nl = snprintf(num, sizeof(num), "%u", c->cseq);
	if(cs == NULL || cs->number.len != nl
			|| memcmp(cs->number.s, num, nl) != 0
			|| cs->method_id != METHOD_OPTIONS)
		return 0;
	b = m->via1->branch->value;
	return b.len == 7 + 32 && strncmp(b.s, "z9hG4bK", 7) == 0
		   && memcmp(b.s + 7, branch, 32) == 0;
}

/* Frames one message at the start of c->buf: its length once it is all
 * there, 0 while more is needed, -1 if it cannot be an answer of ours. m
 * gets its parsed headers (free_sip_msg() it when > 0). */
static long frame(ifo_conn_t *c, sip_msg_t *m)
{
	char *eoh;
	size_t hl;

	c->buf[c->have] = '\0';
	eoh = c->have ? strstr(c->buf, "\r\n\r\n") : NULL;
	if(eoh == NULL)
		return c->have >= HDR_MAX ? -1 : 0;
	hl = (size_t)(eoh + 4 - c->buf);
	memset(m, 0, sizeof(*m));
	m->buf = c->buf;
	m->len = hl;
	if(parse_msg(m->buf, m->len, m) != 0 || parse_headers(m, HDR_EOH_F, 0) < 0
			|| m->content_length == NULL) {
		free_sip_msg(m);
		LM_ERR("S-CSCF %s sent an unparsable answer (or no Content-Length)\n",
				c->peer->text);
		return -1;
	}
	if(get_content_length(m) < 0 || get_content_length(m) > BODY_MAX) {
		LM_ERR("S-CSCF %s answered a body of %ld bytes\n", c->peer->text,
				get_content_length(m));
		free_sip_msg(m);
		return -1;
	}
	if(c->have < hl + (size_t)get_content_length(m)) {
		free_sip_msg(m);
		return 0;
	}
	return (long)(hl + get_content_length(m));
}

/*
 * Sends one request with extra header `xhdr` and body, reads the answer:
 * on a 2xx returns 0 with the parsed answer in *rpl (free_sip_msg() it)
 * and its body located in c->buf. An answer to an earlier request on this
 * connection (one that timed out) is dropped, and the wait goes on.
 */
static int transact(ifo_conn_t *c, const char *xhdr, const char *body,
		size_t blen, sip_msg_t *rpl, char **rbody, size_t *rblen)
{
	char req[HDR_MAX], branch[33], tag[17];
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	long mlen;
	int n, code;

	/* what came after the last answer (the start of a late one) stays */
	if(c->consumed) {
		memmove(c->buf, c->buf + c->consumed, c->have - c->consumed);
		c->have -= c->consumed;
		c->consumed = 0;
	}
	rand_hex(branch, 16);
	rand_hex(tag, 8);
	c->cseq++;
	n = snprintf(req, sizeof(req),
			"OPTIONS sip:ipsec-failover@%s;transport=tcp SIP/2.0\r\n"
			"Via: SIP/2.0/TCP %s;branch=z9hG4bK%s;rport\r\n"
			"Max-Forwards: 1\r\n"
			"From: <sip:ipsec-failover@%s>;tag=%s\r\n"
			"To: <sip:ipsec-failover@%s>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u OPTIONS\r\n"
			"%s\r\n"
			"Content-Type: application/x-ims-sa-records\r\n"
			"Content-Length: %zu\r\n\r\n",
			c->peer->text, c->local, branch, c->local, tag, c->peer->text,
			c->callid, c->cseq, xhdr, blen);
	if(n <= 0 || (size_t)n >= sizeof(req)) {
		LM_ERR("request to %s too long\n", c->peer->text);
		return -1;
	}
	if(send_all(c, req, n) < 0 || (blen && send_all(c, body, blen) < 0)) {
		LM_ERR("cannot send to S-CSCF %s: %s\n", c->peer->text,
				strerror(errno));
		return -1;
	}
	for(;;) {
		ssize_t r;

		mlen = frame(c, rpl);
		if(mlen < 0)
			return -1;
		if(mlen > 0) {
			if(answers_ours(c, rpl, branch))
				break;
			update_stat(ifo_st_late_answers, 1);
			LM_WARN("S-CSCF %s: dropped an answer to an earlier request "
					"(it came after that request timed out)\n",
					c->peer->text);
			free_sip_msg(rpl);
			memmove(c->buf, c->buf + mlen, c->have - (size_t)mlen);
			c->have -= (size_t)mlen;
			continue;
		}
		if(c->have >= HDR_MAX + BODY_MAX) {
			LM_ERR("answer from S-CSCF %s too large\n", c->peer->text);
			return -1;
		}
		if(poll(&pfd, 1, c->timeout_ms) != 1) {
			LM_ERR("no answer from S-CSCF %s within %d ms\n", c->peer->text,
					c->timeout_ms);
			return -1;
		}
		r = recv(c->fd, c->buf + c->have, HDR_MAX + BODY_MAX - c->have, 0);
		if(r <= 0) {
			LM_ERR("S-CSCF %s closed the connection\n", c->peer->text);
			return -1;
		}
		c->have += (size_t)r;
	}
	c->consumed = (size_t)mlen;
	code = rpl->first_line.u.reply.statuscode;
	if(code < 200 || code > 299) {
		LM_ERR("S-CSCF %s answered %d %.*s\n", c->peer->text, code,
				rpl->first_line.u.reply.reason.len,
				rpl->first_line.u.reply.reason.s);
		free_sip_msg(rpl);
		return -1;
	}
	*rbody = c->buf + rpl->len;
	*rblen = (size_t)get_content_length(rpl);
	return 0;
}

int ifo_fetch_page(ifo_conn_t *c, const char *node, unsigned int *cursor,
		int max, char **body, size_t *len)
{
	char xhdr[160];
	sip_msg_t rpl;
	const char *v;
	char *rb;
	size_t rl, vl;
	uint64_t next;
	int rc = -1;

	snprintf(xhdr, sizeof(xhdr), "X-IMS-SA-Fetch: node=%s;cursor=%u;max=%d",
			node, *cursor, max);
	if(transact(c, xhdr, NULL, 0, &rpl, &rb, &rl) < 0)
		return -1;
	v = hdr_value(&rpl, "X-IMS-SA-Next", &vl);
	if(v == NULL) {
		LM_ERR("S-CSCF %s answered without X-IMS-SA-Next: is "
			   "ims_ipsec_failover_scscf serving fetches there?\n",
				c->peer->text);
		goto out;
	}
	if(ifo_proto_uint(v, vl, 0xffffffffu, &next) != IFO_OK) {
		LM_ERR("S-CSCF %s answered X-IMS-SA-Next: %.*s, not a cursor\n",
				c->peer->text, (int)vl, v);
		goto out;
	}
	*cursor = (unsigned int)next;
	*body = pkg_malloc(rl + 1);
	if(*body == NULL) {
		PKG_MEM_ERROR;
		goto out;
	}
	memcpy(*body, rb, rl);
	(*body)[rl] = '\0';
	*len = rl;
	rc = 0;
out:
	free_sip_msg(&rpl);
	return rc;
}

int ifo_fetch_claim(ifo_conn_t *c, const char *node, const char *records,
		size_t len, char *res, int nres)
{
	char xhdr[96];
	sip_msg_t rpl;
	const char *v;
	char *rb;
	size_t rl, vl;
	uint64_t n;
	int acc = -1;

	snprintf(xhdr, sizeof(xhdr), "X-IMS-SA-Claim: node=%s", node);
	if(transact(c, xhdr, records, len, &rpl, &rb, &rl) < 0)
		return -1;
	v = hdr_value(&rpl, "X-IMS-SA-Accepted", &vl);
	if(v != NULL && ifo_proto_uint(v, vl, INT_MAX, &n) == IFO_OK)
		acc = (int)n;
	else if(v != NULL)
		LM_ERR("S-CSCF %s answered X-IMS-SA-Accepted: %.*s, not a count\n",
				c->peer->text, (int)vl, v);
	/* one letter per claimed line; an older S-CSCF sends none */
	if(res != NULL && nres > 0)
		ifo_claim_results(rb, rl, res, (size_t)nres);
	free_sip_msg(&rpl);
	return acc;
}

int ifo_fetch_moves(ifo_conn_t *c, const char *node, uint64_t *cursor,
		char (*to)[IFO_NODE_MAX + 1], int max)
{
	char xhdr[128];
	sip_msg_t rpl;
	ifo_span_t t;
	const char *v;
	char *rb;
	size_t rl, vl, pos = 0;
	uint64_t next;
	int n = -1, rc;

	snprintf(xhdr, sizeof(xhdr), "X-IMS-SA-Moves: node=%s;cursor=%llu", node,
			(unsigned long long)*cursor);
	if(transact(c, xhdr, NULL, 0, &rpl, &rb, &rl) < 0)
		return -1;
	v = hdr_value(&rpl, "X-IMS-SA-Next", &vl);
	if(v == NULL || ifo_proto_uint(v, vl, UINT64_MAX, &next) != IFO_OK) {
		LM_ERR("S-CSCF %s answered a moves request without a valid "
			   "X-IMS-SA-Next: is its ims_ipsec_failover_scscf older than "
			   "this module?\n",
				c->peer->text);
		goto out;
	}
	n = 0;
	while((rc = ifo_moves_next(rb, rl, &pos, &t)) != 1) {
		if(rc != IFO_OK) {
			LM_WARN("S-CSCF %s named a node '%.*s' that is no node id: "
					"ignored\n",
					c->peer->text, (int)(t.len > 40 ? 40 : t.len), t.s);
			continue;
		}
		if(n == max)
			break;
		memcpy(to[n], t.s, t.len);
		to[n++][t.len] = '\0';
	}
	*cursor = next;
out:
	free_sip_msg(&rpl);
	return n;
}
