/*
 * SIP over TCP from the takeover process to the S-CSCFs.
 *
 * A blocking client on purpose: the takeover runs in an RPC or start-up
 * process that has nothing else to do, and the stock transaction layer
 * would hand the answers to another process.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
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

#include "ifo_fetch.h"

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
	size_t have;
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

/* Value of header `name` in the header block [h, h+n), or NULL. */
static const char *hdr_value(
		const char *h, size_t n, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	const char *p = h, *end = h + n;

	while(p < end) {
		const char *eol = memchr(p, '\n', end - p);
		if(eol == NULL)
			eol = end;
		if((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0
				&& p[nl] == ':') {
			const char *v = p + nl + 1;
			const char *ve = eol > v && eol[-1] == '\r' ? eol - 1 : eol;
			while(v < ve && (*v == ' ' || *v == '\t'))
				v++;
			*vlen = ve - v;
			return v;
		}
		p = eol + 1;
	}
	return NULL;
}

/*
 * Sends one request with extra header `xhdr` and body, reads the answer.
 * On a 2xx returns 0 with the header block and the body located in c->buf.
 */
static int transact(ifo_conn_t *c, const char *xhdr, const char *body,
		size_t blen, const char **hdrs, size_t *hlen, char **rbody,
		size_t *rblen)
{
	char req[HDR_MAX], branch[33], tag[17];
	const char *eoh, *cl;
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	size_t clen_len, need;
	long clen;
	int n, code;

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
	c->have = 0;
	for(;;) {
		ssize_t r;

		c->buf[c->have] = '\0';
		eoh = c->have ? strstr(c->buf, "\r\n\r\n") : NULL;
		if(eoh) {
			cl = hdr_value(c->buf, eoh - c->buf, "Content-Length", &clen_len);
			if(cl == NULL)
				cl = hdr_value(c->buf, eoh - c->buf, "l", &clen_len);
			clen = cl ? strtol(cl, NULL, 10) : 0;
			if(clen < 0 || clen > BODY_MAX) {
				LM_ERR("S-CSCF %s answered a body of %ld bytes\n",
						c->peer->text, clen);
				return -1;
			}
			need = (size_t)(eoh + 4 - c->buf) + (size_t)clen;
			if(c->have >= need)
				break;
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
	if(sscanf(c->buf, "SIP/2.0 %d", &code) != 1) {
		LM_ERR("S-CSCF %s sent no SIP answer\n", c->peer->text);
		return -1;
	}
	if(code < 200 || code > 299) {
		const char *eol = strstr(c->buf, "\r\n");
		LM_ERR("S-CSCF %s answered: %.*s\n", c->peer->text,
				eol ? (int)(eol - c->buf) : 40, c->buf);
		return -1;
	}
	*hdrs = c->buf;
	*hlen = eoh - c->buf;
	*rbody = (char *)eoh + 4;
	*rblen = (size_t)clen;
	return 0;
}

int ifo_fetch_page(ifo_conn_t *c, const char *node, unsigned int *cursor,
		int max, char **body, size_t *len)
{
	char xhdr[160];
	const char *hdrs, *v;
	char *rb;
	size_t hl, rl, vl;

	snprintf(xhdr, sizeof(xhdr), "X-IMS-SA-Fetch: node=%s;cursor=%u;max=%d",
			node, *cursor, max);
	if(transact(c, xhdr, NULL, 0, &hdrs, &hl, &rb, &rl) < 0)
		return -1;
	v = hdr_value(hdrs, hl, "X-IMS-SA-Next", &vl);
	if(v == NULL) {
		LM_ERR("S-CSCF %s answered without X-IMS-SA-Next: is "
			   "ims_ipsec_failover_scscf serving fetches there?\n",
				c->peer->text);
		return -1;
	}
	*cursor = (unsigned int)strtoul(v, NULL, 10);
	*body = pkg_malloc(rl + 1);
	if(*body == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(*body, rb, rl);
	(*body)[rl] = '\0';
	*len = rl;
	return 0;
}

int ifo_fetch_claim(
		ifo_conn_t *c, const char *node, const char *records, size_t len)
{
	char xhdr[96];
	const char *hdrs, *v;
	char *rb;
	size_t hl, rl, vl;

	snprintf(xhdr, sizeof(xhdr), "X-IMS-SA-Claim: node=%s", node);
	if(transact(c, xhdr, records, len, &hdrs, &hl, &rb, &rl) < 0)
		return -1;
	v = hdr_value(hdrs, hl, "X-IMS-SA-Accepted", &vl);
	return v ? atoi(v) : -1;
}
