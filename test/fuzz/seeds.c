/*
 * seeds.c - writes the seed corpus of every fuzz target: a few valid and
 * near-valid inputs each, records sealed with the targets' test ring
 * (fuzz.c). Run as "seeds DIR" (make seeds); the output is committed
 * under corpus/, so a run of it changes the sealed seeds (random nonces).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ifo_err.h"
#include "ifo_keyring.h"
#include "ifo_page.h"
#include "ifo_record.h"
#include "ifo_seal.h"
#include "fuzz.h"
#include "tu.h"

static const char *dir;

static void put(const char *target, int n, const void *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	FZ_CHECK(mkdir(path, 0755) == 0 || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/%s/seed-%02d", dir, target, n);
	f = fopen(path, "wb");
	FZ_CHECK(f != NULL);
	FZ_CHECK(len == 0 || fwrite(p, len, 1, f) == 1);
	FZ_CHECK(fclose(f) == 0);
}

static void puts_(const char *target, int n, const char *s)
{
	put(target, n, s, strlen(s));
}

/* Seed inputs with a first byte that picks the target's mode. */
static void put_mode(
		const char *target, int n, uint8_t mode, const void *p, size_t len)
{
	uint8_t *b = malloc(len + 1);

	FZ_CHECK(b != NULL);
	b[0] = mode;
	memcpy(b + 1, p, len);
	put(target, n, b, len + 1);
	free(b);
}

/* The unit tests' records (test/unit/tu.c): an IPv4 one, and the longest
 * there is (IPv6, every field at its bound). */
static void record(ifo_record_t *r, int v6)
{
	if(v6)
		tu_record_v6_max(r);
	else
		tu_record_v4(r);
}

static size_t seal(const ifo_keyring_t *kr, const ifo_record_t *r, char *out)
{
	size_t len;

	FZ_CHECK(ifo_seal(kr, r, out, IFO_TEXT_MAX, &len) == IFO_OK);
	return len;
}

/* header and body bytes of r as sealed with key "a": the record target's
 * inputs and the parts of the open target's mode 1 */
static void parts(const ifo_record_t *r, uint8_t *hdr, size_t *hlen,
		uint8_t *body, size_t *blen)
{
	ifo_header_t h;

	memset(&h, 0, sizeof(h));
	h.version = r->version;
	strcpy(h.keyid, "a");
	memset(h.nonce, 0x5c, sizeof(h.nonce));
	strcpy(h.node, r->node);
	strcpy(h.contact, r->contact);
	h.generation = r->generation;
	h.expires = r->expires;
	FZ_CHECK(ifo_header_encode(&h, hdr, IFO_HEADER_MAX, hlen) == IFO_OK);
	FZ_CHECK(ifo_body_encode(r, body, IFO_BODY_MAX, blen) == IFO_OK);
}

static void record_seeds(void)
{
	uint8_t hdr[IFO_HEADER_MAX], body[IFO_BODY_MAX];
	uint8_t in[2 + IFO_HEADER_MAX + IFO_BODY_MAX];
	char text[IFO_TEXT_MAX], other[IFO_TEXT_MAX];
	size_t hlen, blen, len, olen;
	ifo_keyring_t *foreign;
	ifo_record_t r;
	int v6, n = 0;
	static const char foreign_ring[] =
			"z 1111111111111111111111111111111111111111111111111111111111111111"
			" active\n";

	FZ_CHECK(ifo_keyring_from_memory(
					 foreign_ring, strlen(foreign_ring), &foreign, NULL, 0)
			 == IFO_OK);
	for(v6 = 0; v6 < 2; v6++) {
		record(&r, v6);
		parts(&r, hdr, &hlen, body, &blen);
		put_mode("record", 2 * v6, 0, hdr, hlen);
		put_mode("record", 2 * v6 + 1, 1, body, blen);
		/* open, mode 1: header length, header, body */
		in[0] = (uint8_t)(hlen >> 8);
		in[1] = (uint8_t)hlen;
		memcpy(in + 2, hdr, hlen);
		memcpy(in + 2 + hlen, body, blen);
		put_mode("open", n++, 1 | 2, in, 2 + hlen + blen);
		put_mode("open", n++, 1 | 4, in, 2 + hlen + blen - 1);
		len = seal(fz_ring(), &r, text);
		put_mode("open", n++, 0, text, len);
		puts_("b64", v6, text);
		puts_("peek", 3 * v6, text);
		/* near-valid: cut short, and sealed under a key of another pool */
		put("peek", 3 * v6 + 1, text, len - 3);
		olen = seal(foreign, &r, other);
		put("peek", 3 * v6 + 2, other, olen);
		/* a claim line and a page line with this record */
		snprintf(other, sizeof(other), "%llu %s\r\n\n0 %s\nbad\n",
				(unsigned long long)r.generation, text, text);
		puts_("claim", v6, other);
	}
	/* the same header with a second key id, and an expired record */
	record(&r, 0);
	r.expires = FZ_NOW - 1;
	parts(&r, hdr, &hlen, body, &blen);
	hdr[2] = 'b';
	in[0] = 0;
	in[1] = (uint8_t)hlen;
	memcpy(in + 2, hdr, hlen);
	memcpy(in + 2 + hlen, body, blen);
	put_mode("open", n++, 1, in, 2 + hlen + blen);
	ifo_keyring_free(foreign);
}

static ifo_span_t sp(const char *s)
{
	ifo_span_t v = {s, strlen(s)};
	return v;
}

static void page_seeds(void)
{
	char text[IFO_TEXT_MAX], buf[8192];
	ifo_page_entry_t e;
	ifo_record_t r;
	size_t len = 0;

	record(&r, 0);
	seal(fz_ring(), &r, text);
	memset(&e, 0, sizeof(e));
	e.record = sp(text);
	e.contact = sp(r.contact);
	e.expires = r.expires;
	e.path = sp("<sip:term@pcscf.ims.example;lr>");
	e.n_routes = 1;
	e.routes[0] = sp("sip:orig@scscf.ims.example:6060;lr");
	e.n_ids = 2;
	e.ids[0] = sp(r.aor);
	e.ids[1] = sp("tel:+15550101");
	FZ_CHECK(ifo_page_put(buf, sizeof(buf), &len, &e) == IFO_OK);
	record(&r, 1);
	seal(fz_ring(), &r, text);
	e.record = sp(text);
	e.contact = sp(r.contact);
	e.path = sp("");
	e.n_routes = 0;
	e.n_ids = 1;
	e.ids[0] = sp("sip:odd 100%@x");
	FZ_CHECK(ifo_page_put(buf, sizeof(buf), &len, &e) == IFO_OK);
	put("page", 0, buf, len);
	puts_("page", 1, "r c 99 . 0 1 %2E\n");
	puts_("page", 2, "r c 18446744073709551615 p%20q 2 a b 0\nx\n\n");
	puts_("page", 3, "r c 1 . 17 a\nr %zz 1 . 0 0 \n");
}

static void text_seeds(void)
{
	static const char *b64[] = {"", "QQ", "QUI", "QUJD", "QR", "A=", "-_-_"};
	static const char *secagree[] = {
			("ipsec-3gpp; alg=hmac-sha-1-96; ealg=aes-cbc; spi-c=1111; "
			 "spi-s=2222; port-c=5100; port-s=5101; prot=esp; mod=trans"),
			("digest, ipsec-3gpp;alg=hmac-md5-96;ealg=null;spi-c=4294967295;"
			 "spi-s=1;port-c=65535;port-s=1,ipsec-3gpp;alg=x"),
			("ipsec-3gpp; alg=\"hmac-sha-1-96\"; spi-c=1; spi-s=2; port-c=3; "
			 "port-s=0"),
			"IPSEC-3GPP ; Spi-C = 7 ;spi-s=8;port-c=9;port-s=10;q=0.1",
	};
	static const char *params[] = {"node=pcscf1;cursor=0;max=50",
			"node=pcscf-2.pool", " Node = x ;\tcursor=4294967295 ;max=200;v=2",
			"node=a;node=b", "node=;max=1", "cursor=4294967296;max=0"};
	static const char *answers[] = {"3\n0\nASR", "1\n4294967295\nA",
			"x\n-1\nAS?R", "2147483648\n4294967296\n\nAA",
			"00000000000000000001\n18446744073709551615\nSSSS"};
	/* contact and record contact, one line each */
	static const char *uris[] = {
			("sip:001010000000101@10.46.1.9:5200;alias=10.46.1.9~5200~1\n"
			 "sip:001010000000101@10.46.1.9:5200"),
			"sip:a;alias=x@h;ALIAS;alias=y?h=1\nsip:a;alias=x@h;alias=y?h=1",
			"sips:u@h:5061;transport=tls;aliasx=1;alias\nsips:u@h:5061",
			"tel:+15550101;phone-context=ims.example\nsip:h",
			"sip:h;alias=1;alias=2\nsip:h;alias=2"};
	static const char *rings[] = {
			("a 6675a2c0e1b0d7e3f1a8b9c4d5e6f7081928374655647382910abcdeffed"
			 "cba0 active\n"),
			("# pool keys\r\nold 0F1E2D3C4B5A69788796A5B4C3D2E1F000112233445"
			 "566778899AABBCCDDEEFF\r\n\r\nnew\t6675a2c0e1b0d7e3f1a8b9c4d5e6"
			 "f7081928374655647382910abcdeffedcba0\tactive # now\r\n"),
			("v 6675a2c0e1b0d7e3f1a8b9c4d5e6f7081928374655647382910abcdeffed"
			 "cba0 verify\n"),
			"a 6675a2c0e1b0d7e3f1a8b9c4d5e6f708192837465 active\n"};
	size_t i;

	for(i = 0; i < sizeof(b64) / sizeof(b64[0]); i++)
		puts_("b64", (int)i + 2, b64[i]);
	for(i = 0; i < sizeof(secagree) / sizeof(secagree[0]); i++)
		puts_("secagree", (int)i, secagree[i]);
	for(i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		puts_("params", (int)i, params[i]);
	for(i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		puts_("claim_answer", (int)i, answers[i]);
	for(i = 0; i < sizeof(uris) / sizeof(uris[0]); i++)
		puts_("uri", (int)i, uris[i]);
	for(i = 0; i < sizeof(rings) / sizeof(rings[0]); i++)
		puts_("keyring", (int)i, rings[i]);
	puts_("claim", 2, "18446744073709551616 x\n 12 \n\t7 y z\r\n");
}

int main(int argc, char **argv)
{
	if(argc != 2) {
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	FZ_CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);
	record_seeds();
	page_seeds();
	text_seeds();
	return 0;
}
