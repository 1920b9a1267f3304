/*
 * Milenage (3GPP TS 35.206) on top of libcrypto's AES-128 as the kernel.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "milenage.h"

#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define BLOCK_LEN 16

/*
 * TS 35.206 4.1 default constants. Every r is a whole number of octets and
 * every c has a single non-zero octet, the last one, so both are kept in
 * octet form; index 0 is OUT1, index 4 is OUT5.
 */
static const unsigned int rot_octets[5] = {
		64 / 8, 0 / 8, 32 / 8, 64 / 8, 96 / 8};
static const uint8_t c_last_octet[5] = {0x00, 0x01, 0x02, 0x04, 0x08};

/* What every output of one (K, OPc, RAND) triple is derived from. */
struct run
{
	EVP_CIPHER_CTX *aes;
	uint8_t opc[MILENAGE_OP_LEN];
	uint8_t temp[BLOCK_LEN];
};

static int aes_init(EVP_CIPHER_CTX **aes, const uint8_t k[MILENAGE_K_LEN])
{
	*aes = EVP_CIPHER_CTX_new();
	if(*aes == NULL)
		return MILENAGE_ECRYPTO;
	/* The kernel is a bare block permutation: ECB on one block, no padding. */
	if(EVP_EncryptInit_ex(*aes, EVP_aes_128_ecb(), NULL, k, NULL) != 1
			|| EVP_CIPHER_CTX_set_padding(*aes, 0) != 1) {
		EVP_CIPHER_CTX_free(*aes);
		*aes = NULL;
		return MILENAGE_ECRYPTO;
	}
	return MILENAGE_OK;
}

static int aes_block(EVP_CIPHER_CTX *aes, const uint8_t in[BLOCK_LEN],
		uint8_t out[BLOCK_LEN])
{
	int len = 0;

	if(EVP_EncryptUpdate(aes, out, &len, in, BLOCK_LEN) != 1
			|| len != BLOCK_LEN)
		return MILENAGE_ECRYPTO;
	return MILENAGE_OK;
}

/* rot(x, r): cyclic shift towards the most significant end, TS 35.206 4.1. */
static void rotate(const uint8_t in[BLOCK_LEN], unsigned int octets,
		uint8_t out[BLOCK_LEN])
{
	unsigned int i;

	for(i = 0; i < BLOCK_LEN; i++)
		out[i] = in[(i + octets) % BLOCK_LEN];
}

static void xor_into(uint8_t *dst, const uint8_t *src, size_t len)
{
	size_t i;

	for(i = 0; i < len; i++)
		dst[i] ^= src[i];
}

static void run_end(struct run *r)
{
	EVP_CIPHER_CTX_free(r->aes);
	r->aes = NULL;
	OPENSSL_cleanse(r->opc, sizeof(r->opc));
	OPENSSL_cleanse(r->temp, sizeof(r->temp));
}

/* TEMP = E_K(RAND xor OPc) is shared by all five outputs. */
static int run_begin(struct run *r, const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN])
{
	uint8_t in[BLOCK_LEN];
	int rc;

	memset(r, 0, sizeof(*r));
	rc = aes_init(&r->aes, k);
	if(rc != MILENAGE_OK)
		return rc;
	memcpy(r->opc, opc, MILENAGE_OP_LEN);
	memcpy(in, rnd, BLOCK_LEN);
	xor_into(in, r->opc, BLOCK_LEN);
	rc = aes_block(r->aes, in, r->temp);
	OPENSSL_cleanse(in, sizeof(in));
	if(rc != MILENAGE_OK)
		run_end(r);
	return rc;
}

/* E_K(x xor c) xor OPc, the last step common to OUT1..OUT5. */
static int run_finish(
		struct run *r, uint8_t x[BLOCK_LEN], int idx, uint8_t out[BLOCK_LEN])
{
	int rc;

	x[BLOCK_LEN - 1] ^= c_last_octet[idx];
	rc = aes_block(r->aes, x, out);
	OPENSSL_cleanse(x, BLOCK_LEN);
	if(rc != MILENAGE_OK)
		return rc;
	xor_into(out, r->opc, BLOCK_LEN);
	return MILENAGE_OK;
}

/* OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc */
static int run_out1(struct run *r, const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN], uint8_t out[BLOCK_LEN])
{
	uint8_t in1[BLOCK_LEN];
	uint8_t x[BLOCK_LEN];

	memcpy(in1, sqn, MILENAGE_SQN_LEN);
	memcpy(in1 + MILENAGE_SQN_LEN, amf, MILENAGE_AMF_LEN);
	memcpy(in1 + BLOCK_LEN / 2, in1, BLOCK_LEN / 2);
	xor_into(in1, r->opc, BLOCK_LEN);
	rotate(in1, rot_octets[0], x);
	OPENSSL_cleanse(in1, sizeof(in1));
	xor_into(x, r->temp, BLOCK_LEN);
	return run_finish(r, x, 0, out);
}

/* OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc, for n = 2..5 */
static int run_out(struct run *r, int n, uint8_t out[BLOCK_LEN])
{
	uint8_t t[BLOCK_LEN];
	uint8_t x[BLOCK_LEN];

	memcpy(t, r->temp, BLOCK_LEN);
	xor_into(t, r->opc, BLOCK_LEN);
	rotate(t, rot_octets[n - 1], x);
	OPENSSL_cleanse(t, sizeof(t));
	return run_finish(r, x, n - 1, out);
}

int milenage_opc(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t op[MILENAGE_OP_LEN], uint8_t opc[MILENAGE_OP_LEN])
{
	EVP_CIPHER_CTX *aes;
	uint8_t enc[BLOCK_LEN];
	int rc;

	if(k == NULL || op == NULL || opc == NULL)
		return MILENAGE_EINVAL;
	rc = aes_init(&aes, k);
	if(rc != MILENAGE_OK)
		return rc;
	rc = aes_block(aes, op, enc);
	EVP_CIPHER_CTX_free(aes);
	if(rc == MILENAGE_OK) {
		/* enc first: opc may alias op. */
		xor_into(enc, op, BLOCK_LEN);
		memcpy(opc, enc, BLOCK_LEN);
	}
	OPENSSL_cleanse(enc, sizeof(enc));
	return rc;
}

/* Computes OUTn (n = 1..5) and copies len octets of it from offset off. */
static int one_output(const uint8_t *k, const uint8_t *opc, const uint8_t *rnd,
		const uint8_t *sqn, const uint8_t *amf, int n, size_t off, size_t len,
		uint8_t *dst)
{
	struct run r;
	uint8_t out[BLOCK_LEN];
	int rc;

	if(k == NULL || opc == NULL || rnd == NULL || dst == NULL
			|| (n == 1 && (sqn == NULL || amf == NULL)))
		return MILENAGE_EINVAL;
	rc = run_begin(&r, k, opc, rnd);
	if(rc != MILENAGE_OK)
		return rc;
	rc = n == 1 ? run_out1(&r, sqn, amf, out) : run_out(&r, n, out);
	run_end(&r);
	if(rc == MILENAGE_OK)
		memcpy(dst, out + off, len);
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}

int milenage_f1(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN],
		const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN], uint8_t mac_a[MILENAGE_MAC_LEN])
{
	return one_output(k, opc, rnd, sqn, amf, 1, 0, MILENAGE_MAC_LEN, mac_a);
}

int milenage_f1star(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN],
		const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN], uint8_t mac_s[MILENAGE_MAC_LEN])
{
	return one_output(k, opc, rnd, sqn, amf, 1, 8, MILENAGE_MAC_LEN, mac_s);
}

int milenage_f2(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t res[MILENAGE_RES_LEN])
{
	return one_output(k, opc, rnd, NULL, NULL, 2, 8, MILENAGE_RES_LEN, res);
}

int milenage_f3(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ck[MILENAGE_CK_LEN])
{
	return one_output(k, opc, rnd, NULL, NULL, 3, 0, MILENAGE_CK_LEN, ck);
}

int milenage_f4(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ik[MILENAGE_IK_LEN])
{
	return one_output(k, opc, rnd, NULL, NULL, 4, 0, MILENAGE_IK_LEN, ik);
}

int milenage_f5(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ak[MILENAGE_AK_LEN])
{
	return one_output(k, opc, rnd, NULL, NULL, 2, 0, MILENAGE_AK_LEN, ak);
}

int milenage_f5star(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ak[MILENAGE_AK_LEN])
{
	return one_output(k, opc, rnd, NULL, NULL, 5, 0, MILENAGE_AK_LEN, ak);
}

/* A subscriber is provisioned with either OP or OPc, never both. */
static int resolve_opc(const uint8_t *k, const uint8_t *op, const uint8_t *opc,
		uint8_t out[MILENAGE_OP_LEN])
{
	if(k == NULL || (op == NULL) == (opc == NULL))
		return MILENAGE_EINVAL;
	if(op != NULL)
		return milenage_opc(k, op, out);
	memcpy(out, opc, MILENAGE_OP_LEN);
	return MILENAGE_OK;
}

static void sqn_to_octets(uint64_t sqn, uint8_t out[MILENAGE_SQN_LEN])
{
	int i;

	for(i = MILENAGE_SQN_LEN - 1; i >= 0; i--) {
		out[i] = (uint8_t)(sqn & 0xff);
		sqn >>= 8;
	}
}

static uint64_t sqn_from_octets(const uint8_t in[MILENAGE_SQN_LEN])
{
	uint64_t sqn = 0;
	int i;

	for(i = 0; i < MILENAGE_SQN_LEN; i++)
		sqn = (sqn << 8) | in[i];
	return sqn;
}

int milenage_generate_av(const uint8_t k[MILENAGE_K_LEN], const uint8_t *op,
		const uint8_t *opc, uint64_t sqn, uint16_t amf,
		const uint8_t rnd[MILENAGE_RAND_LEN], struct milenage_av *av)
{
	uint8_t opc_buf[MILENAGE_OP_LEN];
	uint8_t rand_buf[MILENAGE_RAND_LEN];
	uint8_t sqn_oct[MILENAGE_SQN_LEN];
	uint8_t amf_oct[MILENAGE_AMF_LEN];
	uint8_t out1[BLOCK_LEN], out2[BLOCK_LEN], out3[BLOCK_LEN], out4[BLOCK_LEN];
	struct run r;
	int rc;

	if(rnd == NULL || av == NULL || sqn > MILENAGE_SQN_MAX)
		return MILENAGE_EINVAL;
	rc = resolve_opc(k, op, opc, opc_buf);
	if(rc != MILENAGE_OK)
		return rc;
	/* Callers may hand in av->rand itself as RAND. */
	memcpy(rand_buf, rnd, sizeof(rand_buf));
	sqn_to_octets(sqn, sqn_oct);
	amf_oct[0] = (uint8_t)(amf >> 8);
	amf_oct[1] = (uint8_t)(amf & 0xff);

	rc = run_begin(&r, k, opc_buf, rand_buf);
	OPENSSL_cleanse(opc_buf, sizeof(opc_buf));
	if(rc != MILENAGE_OK)
		return rc;
	rc = run_out1(&r, sqn_oct, amf_oct, out1);
	if(rc == MILENAGE_OK)
		rc = run_out(&r, 2, out2);
	if(rc == MILENAGE_OK)
		rc = run_out(&r, 3, out3);
	if(rc == MILENAGE_OK)
		rc = run_out(&r, 4, out4);
	run_end(&r);

	if(rc == MILENAGE_OK) {
		memcpy(av->rand, rand_buf, MILENAGE_RAND_LEN);
		/* AUTN = (SQN xor AK) || AMF || MAC-A, with AK = f5 = OUT2[0..47] */
		memcpy(av->autn, sqn_oct, MILENAGE_SQN_LEN);
		xor_into(av->autn, out2, MILENAGE_AK_LEN);
		memcpy(av->autn + MILENAGE_SQN_LEN, amf_oct, MILENAGE_AMF_LEN);
		memcpy(av->autn + MILENAGE_SQN_LEN + MILENAGE_AMF_LEN, out1,
				MILENAGE_MAC_LEN);
		memcpy(av->xres, out2 + 8, MILENAGE_RES_LEN);
		memcpy(av->ck, out3, MILENAGE_CK_LEN);
		memcpy(av->ik, out4, MILENAGE_IK_LEN);
	}
	OPENSSL_cleanse(out1, sizeof(out1));
	OPENSSL_cleanse(out2, sizeof(out2));
	OPENSSL_cleanse(out3, sizeof(out3));
	OPENSSL_cleanse(out4, sizeof(out4));
	return rc;
}

/* TS 33.102 6.3.3: MAC-S is computed over a dummy AMF of all zeros. */
static const uint8_t resync_amf[MILENAGE_AMF_LEN] = {0x00, 0x00};

int milenage_resync(const uint8_t k[MILENAGE_K_LEN], const uint8_t *op,
		const uint8_t *opc, const uint8_t rnd[MILENAGE_RAND_LEN],
		const uint8_t auts[MILENAGE_AUTS_LEN], uint64_t *sqn_ms)
{
	uint8_t opc_buf[MILENAGE_OP_LEN];
	uint8_t sqn_oct[MILENAGE_SQN_LEN];
	uint8_t out1[BLOCK_LEN], out5[BLOCK_LEN];
	struct run r;
	int rc;

	if(rnd == NULL || auts == NULL || sqn_ms == NULL)
		return MILENAGE_EINVAL;
	rc = resolve_opc(k, op, opc, opc_buf);
	if(rc != MILENAGE_OK)
		return rc;
	rc = run_begin(&r, k, opc_buf, rnd);
	OPENSSL_cleanse(opc_buf, sizeof(opc_buf));
	if(rc != MILENAGE_OK)
		return rc;
	/* SQN_MS is concealed with AK* = f5* = OUT5[0..47]. */
	rc = run_out(&r, 5, out5);
	if(rc == MILENAGE_OK) {
		memcpy(sqn_oct, auts, MILENAGE_SQN_LEN);
		xor_into(sqn_oct, out5, MILENAGE_AK_LEN);
		rc = run_out1(&r, sqn_oct, resync_amf, out1);
	}
	run_end(&r);

	/* MAC-S = f1* = OUT1[64..127]; compared without a timing leak. */
	if(rc == MILENAGE_OK
			&& CRYPTO_memcmp(
					   out1 + 8, auts + MILENAGE_SQN_LEN, MILENAGE_MAC_LEN)
					   != 0)
		rc = MILENAGE_EMAC;
	if(rc == MILENAGE_OK)
		*sqn_ms = sqn_from_octets(sqn_oct);
	OPENSSL_cleanse(out1, sizeof(out1));
	OPENSSL_cleanse(out5, sizeof(out5));
	return rc;
}

int milenage_generate_auts(const uint8_t k[MILENAGE_K_LEN], const uint8_t *op,
		const uint8_t *opc, const uint8_t rnd[MILENAGE_RAND_LEN],
		uint64_t sqn_ms, uint8_t auts[MILENAGE_AUTS_LEN])
{
	uint8_t opc_buf[MILENAGE_OP_LEN];
	uint8_t sqn_oct[MILENAGE_SQN_LEN];
	uint8_t out1[BLOCK_LEN], out5[BLOCK_LEN];
	struct run r;
	int rc;

	if(rnd == NULL || auts == NULL || sqn_ms > MILENAGE_SQN_MAX)
		return MILENAGE_EINVAL;
	rc = resolve_opc(k, op, opc, opc_buf);
	if(rc != MILENAGE_OK)
		return rc;
	rc = run_begin(&r, k, opc_buf, rnd);
	OPENSSL_cleanse(opc_buf, sizeof(opc_buf));
	if(rc != MILENAGE_OK)
		return rc;
	sqn_to_octets(sqn_ms, sqn_oct);
	rc = run_out1(&r, sqn_oct, resync_amf, out1);
	if(rc == MILENAGE_OK)
		rc = run_out(&r, 5, out5);
	run_end(&r);

	if(rc == MILENAGE_OK) {
		memcpy(auts, sqn_oct, MILENAGE_SQN_LEN);
		xor_into(auts, out5, MILENAGE_AK_LEN);
		memcpy(auts + MILENAGE_SQN_LEN, out1 + 8, MILENAGE_MAC_LEN);
	}
	OPENSSL_cleanse(out1, sizeof(out1));
	OPENSSL_cleanse(out5, sizeof(out5));
	return rc;
}
