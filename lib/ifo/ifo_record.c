/*
 * ifo_record.c - validation and binary codec of the SA record
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <openssl/crypto.h>

#include "ifo_err.h"
#include "ifo_record.h"

#define WIRE_INET 4
#define WIRE_INET6 6

/*
 * Text kinds. Printable fields exclude space and control characters: these
 * values end up in SIP headers and kernel calls, so a CR/LF or NUL smuggled
 * into a sealed record must not survive decoding.
 */
enum txt_kind
{
	TXT_TOKEN,		   /* 1..max of [A-Za-z0-9._-] */
	TXT_PRINT,		   /* 0..max of 0x21..0x7e */
	TXT_PRINT_NONEMPTY /* 1..max of 0x21..0x7e */
};

static int token_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		   || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int ifo_token_valid(const char *s, size_t n, size_t max)
{
	size_t i;

	if(!s || n == 0 || n > max)
		return 0;
	for(i = 0; i < n; i++) {
		if(!token_char((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int text_ok(const char *s, size_t n, size_t max, enum txt_kind kind)
{
	size_t i;

	if(kind == TXT_TOKEN)
		return ifo_token_valid(s, n, max);
	if(n > max || (kind == TXT_PRINT_NONEMPTY && n == 0))
		return 0;
	for(i = 0; i < n; i++) {
		if((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	}
	return 1;
}

/* A text field held in a char[max + 1] array. */
static int field_check(const char *s, size_t max, enum txt_kind kind)
{
	size_t n = strnlen(s, max + 1);

	if(n > max)
		return IFO_ERR_TOOLONG;
	return text_ok(s, n, max, kind) ? IFO_OK : IFO_ERR_FORMAT;
}

void ifo_record_clear(ifo_record_t *r)
{
	if(r)
		OPENSSL_cleanse(r, sizeof(*r));
}

void ifo_record_init(ifo_record_t *r)
{
	if(!r)
		return;
	ifo_record_clear(r);
	r->version = IFO_VERSION;
}

/* Every text field of a record, with its bound and kind. */
static int record_text_check(const ifo_record_t *r)
{
	const struct
	{
		const char *s;
		size_t max;
		enum txt_kind kind;
	} f[] = {
			{r->node, IFO_NODE_MAX, TXT_TOKEN},
			{r->contact, IFO_URI_MAX, TXT_PRINT_NONEMPTY},
			{r->aor, IFO_URI_MAX, TXT_PRINT},
			{r->received_host, IFO_HOST_MAX, TXT_PRINT},
			{r->via_host, IFO_HOST_MAX, TXT_PRINT},
			{r->ipsec.ealg, IFO_ALG_MAX, TXT_PRINT},
			{r->ipsec.r_ealg, IFO_ALG_MAX, TXT_PRINT},
			{r->ipsec.alg, IFO_ALG_MAX, TXT_PRINT},
			{r->ipsec.r_alg, IFO_ALG_MAX, TXT_PRINT},
			{r->ipsec.prot, IFO_SHORT_MAX, TXT_PRINT},
			{r->ipsec.mod, IFO_SHORT_MAX, TXT_PRINT},
	};
	size_t i;
	int rc;

	for(i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		rc = field_check(f[i].s, f[i].max, f[i].kind);
		if(rc != IFO_OK)
			return rc;
	}
	return IFO_OK;
}

int ifo_record_validate(const ifo_record_t *r)
{
	int rc;

	if(!r)
		return IFO_ERR_INVAL;
	if(r->version != IFO_VERSION)
		return IFO_ERR_VERSION;
	rc = record_text_check(r);
	if(rc != IFO_OK)
		return rc;
	if(r->ipsec.ck_len > IFO_KEY_MAX || r->ipsec.ik_len > IFO_KEY_MAX)
		return IFO_ERR_TOOLONG;
	if(r->ue_addr.family != AF_INET && r->ue_addr.family != AF_INET6)
		return IFO_ERR_FORMAT;
	if(r->pcscf_addr.family != r->ue_addr.family)
		return IFO_ERR_FORMAT;
	return IFO_OK;
}

static int header_validate(const ifo_header_t *h)
{
	int rc;

	if(h->version != IFO_VERSION)
		return IFO_ERR_VERSION;
	rc = field_check(h->keyid, IFO_KEYID_MAX, TXT_TOKEN);
	if(rc == IFO_OK)
		rc = field_check(h->node, IFO_NODE_MAX, TXT_TOKEN);
	if(rc == IFO_OK)
		rc = field_check(h->contact, IFO_URI_MAX, TXT_PRINT_NONEMPTY);
	return rc;
}

/*
 * Writer and reader with a sticky error, so that a sequence of puts or gets
 * needs one check at the end instead of one per field.
 */
typedef struct wbuf
{
	uint8_t *p;
	size_t cap;
	size_t len;
	int err;
} wbuf_t;

typedef struct rbuf
{
	const uint8_t *p;
	size_t len;
	size_t off;
	int err;
} rbuf_t;

static void w_bytes(wbuf_t *w, const void *src, size_t n)
{
	if(w->err)
		return;
	if(n > w->cap - w->len) {
		w->err = IFO_ERR_TOOLONG;
		return;
	}
	if(n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void w_uint(wbuf_t *w, uint64_t v, int bytes)
{
	uint8_t b[8];
	int i;

	for(i = bytes - 1; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	w_bytes(w, b, (size_t)bytes);
}

/* Callers have validated s, so its length fits the one-byte prefix. */
static void w_str(wbuf_t *w, const char *s)
{
	size_t n = strlen(s);

	w_uint(w, n, 1);
	w_bytes(w, s, n);
}

static void w_blob(wbuf_t *w, const uint8_t *b, size_t n)
{
	w_uint(w, n, 1);
	w_bytes(w, b, n);
}

static void w_addr(wbuf_t *w, const ifo_addr_t *a)
{
	if(a->family == AF_INET) {
		w_uint(w, WIRE_INET, 1);
		w_bytes(w, a->a, 4);
	} else {
		w_uint(w, WIRE_INET6, 1);
		w_bytes(w, a->a, 16);
	}
}

static const uint8_t *r_take(rbuf_t *r, size_t n)
{
	const uint8_t *p;

	if(r->err)
		return NULL;
	if(n > r->len - r->off) {
		r->err = IFO_ERR_TRUNCATED;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint64_t r_uint(rbuf_t *r, int bytes)
{
	const uint8_t *p = r_take(r, (size_t)bytes);
	uint64_t v = 0;
	int i;

	if(!p)
		return 0;
	for(i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static void r_bytes(rbuf_t *r, uint8_t *dst, size_t n)
{
	const uint8_t *p = r_take(r, n);

	if(p)
		memcpy(dst, p, n);
}

static void r_str(rbuf_t *r, char *dst, size_t max, enum txt_kind kind)
{
	size_t n = (size_t)r_uint(r, 1);
	const uint8_t *p;

	if(r->err)
		return;
	if(n > max) {
		r->err = IFO_ERR_FORMAT;
		return;
	}
	p = r_take(r, n);
	if(!p)
		return;
	if(!text_ok((const char *)p, n, max, kind)) {
		r->err = IFO_ERR_FORMAT;
		return;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
}

static void r_blob(rbuf_t *r, uint8_t *dst, uint16_t *dlen, size_t max)
{
	size_t n = (size_t)r_uint(r, 1);
	const uint8_t *p;

	if(r->err)
		return;
	if(n > max) {
		r->err = IFO_ERR_FORMAT;
		return;
	}
	p = r_take(r, n);
	if(!p)
		return;
	memcpy(dst, p, n);
	*dlen = (uint16_t)n;
}

static void r_addr(rbuf_t *r, ifo_addr_t *a)
{
	uint8_t wf = (uint8_t)r_uint(r, 1);
	const uint8_t *p;

	if(r->err)
		return;
	if(wf != WIRE_INET && wf != WIRE_INET6) {
		r->err = IFO_ERR_FORMAT;
		return;
	}
	p = r_take(r, wf == WIRE_INET ? 4 : 16);
	if(!p)
		return;
	a->family = wf == WIRE_INET ? AF_INET : AF_INET6;
	memcpy(a->a, p, wf == WIRE_INET ? 4 : 16);
}

int ifo_header_encode(
		const ifo_header_t *h, uint8_t *buf, size_t bufsz, size_t *len)
{
	wbuf_t w = {buf, bufsz, 0, IFO_OK};
	int rc;

	if(len)
		*len = 0;
	if(!h || !buf || !len)
		return IFO_ERR_INVAL;
	rc = header_validate(h);
	if(rc != IFO_OK)
		return rc;
	w_uint(&w, h->version, 1);
	w_str(&w, h->keyid);
	w_bytes(&w, h->nonce, IFO_NONCE_LEN);
	w_str(&w, h->node);
	w_str(&w, h->contact);
	w_uint(&w, h->generation, 8);
	w_uint(&w, h->expires, 8);
	if(w.err)
		return w.err;
	*len = w.len;
	return IFO_OK;
}

int ifo_header_decode(
		const uint8_t *buf, size_t len, ifo_header_t *h, size_t *used)
{
	rbuf_t r = {buf, len, 0, IFO_OK};

	if(!h || (!buf && len))
		return IFO_ERR_INVAL;
	memset(h, 0, sizeof(*h));
	if(len == 0)
		return IFO_ERR_TRUNCATED;
	if(buf[0] != IFO_VERSION)
		return IFO_ERR_VERSION;
	h->version = (uint8_t)r_uint(&r, 1);
	r_str(&r, h->keyid, IFO_KEYID_MAX, TXT_TOKEN);
	r_bytes(&r, h->nonce, IFO_NONCE_LEN);
	r_str(&r, h->node, IFO_NODE_MAX, TXT_TOKEN);
	r_str(&r, h->contact, IFO_URI_MAX, TXT_PRINT_NONEMPTY);
	h->generation = r_uint(&r, 8);
	h->expires = r_uint(&r, 8);
	if(!r.err && !used && r.off != len)
		r.err = IFO_ERR_TRAILING;
	if(r.err) {
		memset(h, 0, sizeof(*h));
		return r.err;
	}
	if(used)
		*used = r.off;
	return IFO_OK;
}

int ifo_body_encode(
		const ifo_record_t *r, uint8_t *buf, size_t bufsz, size_t *len)
{
	wbuf_t w = {buf, bufsz, 0, IFO_OK};
	const ifo_ipsec_t *s;
	int rc;

	if(len)
		*len = 0;
	if(!r || !buf || !len)
		return IFO_ERR_INVAL;
	rc = ifo_record_validate(r);
	if(rc != IFO_OK)
		return rc;
	s = &r->ipsec;
	w_uint(&w, r->takeovers, 4);
	w_uint(&w, r->seq_hint, 8);
	w_str(&w, r->aor);
	w_str(&w, r->received_host);
	w_uint(&w, r->received_port, 2);
	w_uint(&w, r->received_proto, 1);
	w_str(&w, r->via_host);
	w_uint(&w, r->via_port, 2);
	w_uint(&w, r->via_proto, 1);
	w_addr(&w, &r->ue_addr);
	w_addr(&w, &r->pcscf_addr);
	w_uint(&w, r->pcscf_port, 2);
	w_uint(&w, s->spi_uc, 4);
	w_uint(&w, s->spi_us, 4);
	w_uint(&w, s->spi_pc, 4);
	w_uint(&w, s->spi_ps, 4);
	w_uint(&w, s->port_uc, 2);
	w_uint(&w, s->port_us, 2);
	w_uint(&w, s->port_pc, 2);
	w_uint(&w, s->port_ps, 2);
	w_str(&w, s->ealg);
	w_str(&w, s->r_ealg);
	w_str(&w, s->alg);
	w_str(&w, s->r_alg);
	w_blob(&w, s->ck, s->ck_len);
	w_blob(&w, s->ik, s->ik_len);
	w_str(&w, s->prot);
	w_str(&w, s->mod);
	if(w.err) {
		/* a partial body may already hold CK */
		OPENSSL_cleanse(buf, w.len);
		return w.err;
	}
	*len = w.len;
	return IFO_OK;
}

/* Zero the body fields so that nothing from an earlier use survives. */
static void body_clear(ifo_record_t *r)
{
	r->takeovers = 0;
	r->seq_hint = 0;
	memset(r->aor, 0, sizeof(r->aor));
	memset(r->received_host, 0, sizeof(r->received_host));
	r->received_port = 0;
	r->received_proto = 0;
	memset(r->via_host, 0, sizeof(r->via_host));
	r->via_port = 0;
	r->via_proto = 0;
	memset(&r->ue_addr, 0, sizeof(r->ue_addr));
	memset(&r->pcscf_addr, 0, sizeof(r->pcscf_addr));
	r->pcscf_port = 0;
	OPENSSL_cleanse(&r->ipsec, sizeof(r->ipsec));
}

int ifo_body_decode(const uint8_t *buf, size_t len, ifo_record_t *r)
{
	rbuf_t rb = {buf, len, 0, IFO_OK};
	ifo_ipsec_t *s;

	if(!r || (!buf && len))
		return IFO_ERR_INVAL;
	body_clear(r);
	s = &r->ipsec;
	r->takeovers = (uint32_t)r_uint(&rb, 4);
	r->seq_hint = r_uint(&rb, 8);
	r_str(&rb, r->aor, IFO_URI_MAX, TXT_PRINT);
	r_str(&rb, r->received_host, IFO_HOST_MAX, TXT_PRINT);
	r->received_port = (uint16_t)r_uint(&rb, 2);
	r->received_proto = (uint8_t)r_uint(&rb, 1);
	r_str(&rb, r->via_host, IFO_HOST_MAX, TXT_PRINT);
	r->via_port = (uint16_t)r_uint(&rb, 2);
	r->via_proto = (uint8_t)r_uint(&rb, 1);
	r_addr(&rb, &r->ue_addr);
	r_addr(&rb, &r->pcscf_addr);
	if(!rb.err && r->ue_addr.family != r->pcscf_addr.family)
		rb.err = IFO_ERR_FORMAT;
	r->pcscf_port = (uint16_t)r_uint(&rb, 2);
	s->spi_uc = (uint32_t)r_uint(&rb, 4);
	s->spi_us = (uint32_t)r_uint(&rb, 4);
	s->spi_pc = (uint32_t)r_uint(&rb, 4);
	s->spi_ps = (uint32_t)r_uint(&rb, 4);
	s->port_uc = (uint16_t)r_uint(&rb, 2);
	s->port_us = (uint16_t)r_uint(&rb, 2);
	s->port_pc = (uint16_t)r_uint(&rb, 2);
	s->port_ps = (uint16_t)r_uint(&rb, 2);
	r_str(&rb, s->ealg, IFO_ALG_MAX, TXT_PRINT);
	r_str(&rb, s->r_ealg, IFO_ALG_MAX, TXT_PRINT);
	r_str(&rb, s->alg, IFO_ALG_MAX, TXT_PRINT);
	r_str(&rb, s->r_alg, IFO_ALG_MAX, TXT_PRINT);
	r_blob(&rb, s->ck, &s->ck_len, IFO_KEY_MAX);
	r_blob(&rb, s->ik, &s->ik_len, IFO_KEY_MAX);
	r_str(&rb, s->prot, IFO_SHORT_MAX, TXT_PRINT);
	r_str(&rb, s->mod, IFO_SHORT_MAX, TXT_PRINT);
	if(!rb.err && rb.off != len)
		rb.err = IFO_ERR_TRAILING;
	if(rb.err) {
		body_clear(r);
		return rb.err;
	}
	return IFO_OK;
}
