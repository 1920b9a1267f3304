/*
 * tu.c - fixtures and helpers shared by the libifo unit test suites
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "ifo_b64.h"
#include "ifo_err.h"
#include "tu.h"

void tu_fill(char *s, char c, size_t n)
{
	memset(s, c, n);
	s[n] = '\0';
}

void tu_record_v4(ifo_record_t *r)
{
	static const uint8_t ue[4] = {10, 45, 0, 7};
	static const uint8_t pcscf[4] = {192, 0, 2, 10};

	ifo_record_init(r);
	strcpy(r->node, "pcscf-1.ims");
	r->generation = 42;
	r->expires = TU_NOW + 3600;
	r->takeovers = 2;
	r->seq_hint = 0x123456789ULL;
	strcpy(r->contact, "sip:001010000000001@10.45.0.7:5100;alias=10.45.0.7~"
					   "5100~1");
	strcpy(r->aor, "sip:001010000000001@10.45.0.7:5100");
	strcpy(r->received_host, "10.45.0.7");
	r->received_port = 5100;
	r->received_proto = 1;
	strcpy(r->via_host, "10.45.0.7");
	r->via_port = 5101;
	r->via_proto = 2;
	r->ue_addr.family = AF_INET;
	memcpy(r->ue_addr.a, ue, sizeof(ue));
	r->pcscf_addr.family = AF_INET;
	memcpy(r->pcscf_addr.a, pcscf, sizeof(pcscf));
	r->pcscf_port = 5060;
	r->ipsec.spi_uc = 0x1001;
	r->ipsec.spi_us = 0x1002;
	r->ipsec.spi_pc = 0x2001;
	r->ipsec.spi_ps = 0x2002;
	r->ipsec.port_uc = 5100;
	r->ipsec.port_us = 5101;
	r->ipsec.port_pc = 6100;
	r->ipsec.port_ps = 6101;
	strcpy(r->ipsec.ealg, "aes-cbc");
	strcpy(r->ipsec.r_ealg, "aes-cbc");
	strcpy(r->ipsec.alg, "hmac-sha-1-96");
	strcpy(r->ipsec.r_alg, "hmac-sha-1-96");
	memcpy(r->ipsec.ck, "0123456789abcdef0123456789abcdef", 32);
	r->ipsec.ck_len = 32;
	memcpy(r->ipsec.ik, "fedcba9876543210fedcba9876543210", 32);
	r->ipsec.ik_len = 32;
	strcpy(r->ipsec.prot, "esp");
	strcpy(r->ipsec.mod, "trans");
}

void tu_record_v6_max(ifo_record_t *r)
{
	size_t i;

	ifo_record_init(r);
	/* a different filler per field catches fields swapped by the codec */
	tu_fill(r->node, 'n', IFO_NODE_MAX);
	r->generation = UINT64_MAX - 1;
	r->expires = UINT64_MAX;
	r->takeovers = UINT32_MAX;
	r->seq_hint = UINT64_MAX - 2;
	tu_fill(r->contact, 'c', IFO_URI_MAX);
	memcpy(r->contact, "sip:", 4);
	tu_fill(r->aor, 'a', IFO_URI_MAX);
	memcpy(r->aor, "sip:", 4);
	tu_fill(r->received_host, 'r', IFO_HOST_MAX);
	r->received_port = 65535;
	r->received_proto = 255;
	tu_fill(r->via_host, 'v', IFO_HOST_MAX);
	r->via_port = 65534;
	r->via_proto = 254;
	r->ue_addr.family = AF_INET6;
	r->pcscf_addr.family = AF_INET6;
	for(i = 0; i < 16; i++) {
		r->ue_addr.a[i] = (uint8_t)(0x20 + i);
		r->pcscf_addr.a[i] = (uint8_t)(0xf0 + i);
	}
	r->pcscf_port = 65533;
	r->ipsec.spi_uc = UINT32_MAX;
	r->ipsec.spi_us = UINT32_MAX - 1;
	r->ipsec.spi_pc = UINT32_MAX - 2;
	r->ipsec.spi_ps = UINT32_MAX - 3;
	r->ipsec.port_uc = 65532;
	r->ipsec.port_us = 65531;
	r->ipsec.port_pc = 65530;
	r->ipsec.port_ps = 65529;
	tu_fill(r->ipsec.ealg, 'E', IFO_ALG_MAX);
	tu_fill(r->ipsec.r_ealg, 'F', IFO_ALG_MAX);
	tu_fill(r->ipsec.alg, 'G', IFO_ALG_MAX);
	tu_fill(r->ipsec.r_alg, 'H', IFO_ALG_MAX);
	for(i = 0; i < IFO_KEY_MAX; i++) {
		r->ipsec.ck[i] = (uint8_t)i;
		r->ipsec.ik[i] = (uint8_t)(255 - i);
	}
	r->ipsec.ck_len = IFO_KEY_MAX;
	r->ipsec.ik_len = IFO_KEY_MAX;
	tu_fill(r->ipsec.prot, 'P', IFO_SHORT_MAX);
	tu_fill(r->ipsec.mod, 'M', IFO_SHORT_MAX);
}

void tu_record_min(ifo_record_t *r)
{
	ifo_record_init(r);
	strcpy(r->node, "n");
	strcpy(r->contact, "c");
	r->expires = TU_NOW + 1;
	r->ue_addr.family = AF_INET;
	r->pcscf_addr.family = AF_INET;
}

static void assert_addr_eq(const ifo_addr_t *a, const ifo_addr_t *b)
{
	ck_assert_uint_eq(a->family, b->family);
	ck_assert_mem_eq(a->a, b->a, a->family == AF_INET ? 4 : 16);
}

void tu_assert_record_eq(const ifo_record_t *a, const ifo_record_t *b)
{
	ck_assert_uint_eq(a->version, b->version);
	ck_assert_str_eq(a->node, b->node);
	ck_assert_uint_eq(a->generation, b->generation);
	ck_assert_uint_eq(a->expires, b->expires);
	ck_assert_uint_eq(a->takeovers, b->takeovers);
	ck_assert_uint_eq(a->seq_hint, b->seq_hint);
	ck_assert_str_eq(a->contact, b->contact);
	ck_assert_str_eq(a->aor, b->aor);
	ck_assert_str_eq(a->received_host, b->received_host);
	ck_assert_uint_eq(a->received_port, b->received_port);
	ck_assert_uint_eq(a->received_proto, b->received_proto);
	ck_assert_str_eq(a->via_host, b->via_host);
	ck_assert_uint_eq(a->via_port, b->via_port);
	ck_assert_uint_eq(a->via_proto, b->via_proto);
	assert_addr_eq(&a->ue_addr, &b->ue_addr);
	assert_addr_eq(&a->pcscf_addr, &b->pcscf_addr);
	ck_assert_uint_eq(a->pcscf_port, b->pcscf_port);
	ck_assert_uint_eq(a->ipsec.spi_uc, b->ipsec.spi_uc);
	ck_assert_uint_eq(a->ipsec.spi_us, b->ipsec.spi_us);
	ck_assert_uint_eq(a->ipsec.spi_pc, b->ipsec.spi_pc);
	ck_assert_uint_eq(a->ipsec.spi_ps, b->ipsec.spi_ps);
	ck_assert_uint_eq(a->ipsec.port_uc, b->ipsec.port_uc);
	ck_assert_uint_eq(a->ipsec.port_us, b->ipsec.port_us);
	ck_assert_uint_eq(a->ipsec.port_pc, b->ipsec.port_pc);
	ck_assert_uint_eq(a->ipsec.port_ps, b->ipsec.port_ps);
	ck_assert_str_eq(a->ipsec.ealg, b->ipsec.ealg);
	ck_assert_str_eq(a->ipsec.r_ealg, b->ipsec.r_ealg);
	ck_assert_str_eq(a->ipsec.alg, b->ipsec.alg);
	ck_assert_str_eq(a->ipsec.r_alg, b->ipsec.r_alg);
	ck_assert_uint_eq(a->ipsec.ck_len, b->ipsec.ck_len);
	ck_assert_mem_eq(a->ipsec.ck, b->ipsec.ck, a->ipsec.ck_len);
	ck_assert_uint_eq(a->ipsec.ik_len, b->ipsec.ik_len);
	ck_assert_mem_eq(a->ipsec.ik, b->ipsec.ik, a->ipsec.ik_len);
	ck_assert_str_eq(a->ipsec.prot, b->ipsec.prot);
	ck_assert_str_eq(a->ipsec.mod, b->ipsec.mod);
}

ifo_keyring_t *tu_ring(const char *text)
{
	ifo_keyring_t *kr = NULL;
	char err[128];
	int rc;

	rc = ifo_keyring_from_memory(text, strlen(text), &kr, err, sizeof(err));
	ck_assert_msg(rc == IFO_OK, "key ring: %s", err);
	return kr;
}

ifo_keyring_t *tu_vring(const char *sealing_text)
{
	ifo_keyring_t *kr = tu_ring(sealing_text), *vr = NULL;
	char text[IFO_VERIFY_TEXT_MAX], err[128];
	size_t len = 0;
	int rc;

	ck_assert_int_eq(
			ifo_keyring_verify_text(kr, text, sizeof(text), &len), IFO_OK);
	ifo_keyring_free(kr);
	rc = ifo_keyring_verify_from_memory(text, len, &vr, err, sizeof(err));
	ck_assert_msg(rc == IFO_OK, "verify ring: %s", err);
	return vr;
}

size_t tu_unb64(const char *text, size_t len, uint8_t *blob, size_t blobsz)
{
	size_t n = 0;

	ck_assert_int_eq(ifo_b64_decode(text, len, blob, blobsz, &n), IFO_OK);
	return n;
}

size_t tu_b64(const uint8_t *blob, size_t n, char *text, size_t textsz)
{
	size_t len = 0;

	ck_assert_int_eq(ifo_b64_encode(blob, n, text, textsz, &len), IFO_OK);
	return len;
}
