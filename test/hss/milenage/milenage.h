/*
 * Milenage (3GPP TS 35.206) for the test HSS: OPc, f1..f5*, IMS-AKA vectors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MILENAGE_H
#define MILENAGE_H

#include <stdint.h>

#define MILENAGE_K_LEN 16
#define MILENAGE_OP_LEN 16
#define MILENAGE_RAND_LEN 16
#define MILENAGE_SQN_LEN 6
#define MILENAGE_AMF_LEN 2
#define MILENAGE_MAC_LEN 8
#define MILENAGE_RES_LEN 8
#define MILENAGE_CK_LEN 16
#define MILENAGE_IK_LEN 16
#define MILENAGE_AK_LEN 6
#define MILENAGE_AUTN_LEN 16
#define MILENAGE_AUTS_LEN 14

/* SQN is 48 bits (TS 33.102 C.3); anything wider is a caller bug. */
#define MILENAGE_SQN_MAX 0xffffffffffffULL

/* Return codes: every function returns one of these. */
#define MILENAGE_OK 0
#define MILENAGE_EINVAL (-1)  /* bad argument: NULL, both/neither OP and OPc */
#define MILENAGE_ECRYPTO (-2) /* libcrypto refused the AES operation */
#define MILENAGE_EMAC (-3)	  /* MAC-S of an AUTS did not verify */

/* OPc = OP xor E_K(OP) (TS 35.206 4.1). */
int milenage_opc(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t op[MILENAGE_OP_LEN], uint8_t opc[MILENAGE_OP_LEN]);

/*
 * The seven TS 35.206 functions, each keyed by K and OPc. f1 and f1* take
 * SQN and AMF as the octet strings the spec defines (most significant first).
 */
int milenage_f1(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN],
		const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN], uint8_t mac_a[MILENAGE_MAC_LEN]);
int milenage_f1star(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN],
		const uint8_t sqn[MILENAGE_SQN_LEN],
		const uint8_t amf[MILENAGE_AMF_LEN], uint8_t mac_s[MILENAGE_MAC_LEN]);
int milenage_f2(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t res[MILENAGE_RES_LEN]);
int milenage_f3(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ck[MILENAGE_CK_LEN]);
int milenage_f4(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ik[MILENAGE_IK_LEN]);
int milenage_f5(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ak[MILENAGE_AK_LEN]);
int milenage_f5star(const uint8_t k[MILENAGE_K_LEN],
		const uint8_t opc[MILENAGE_OP_LEN],
		const uint8_t rnd[MILENAGE_RAND_LEN], uint8_t ak[MILENAGE_AK_LEN]);

/* One IMS-AKA authentication vector (TS 33.203 6.1, TS 33.102 6.3.2). */
struct milenage_av
{
	uint8_t rand[MILENAGE_RAND_LEN];
	uint8_t autn[MILENAGE_AUTN_LEN]; /* (SQN xor AK) || AMF || MAC-A */
	uint8_t xres[MILENAGE_RES_LEN];
	uint8_t ck[MILENAGE_CK_LEN];
	uint8_t ik[MILENAGE_IK_LEN];
};

/*
 * Builds a vector for SQN and AMF. Exactly one of op and opc must be
 * non-NULL: subscriber records hold one or the other.
 */
int milenage_generate_av(const uint8_t k[MILENAGE_K_LEN], const uint8_t *op,
		const uint8_t *opc, uint64_t sqn, uint16_t amf,
		const uint8_t rnd[MILENAGE_RAND_LEN], struct milenage_av *av);

/*
 * Resynchronisation (TS 33.102 6.3.5): recovers SQN_MS from the AUTS a UE
 * sent for RAND, after checking MAC-S with the all-zero dummy AMF the UE
 * uses. Returns MILENAGE_EMAC, leaving *sqn_ms alone, if MAC-S is wrong.
 */
int milenage_resync(const uint8_t k[MILENAGE_K_LEN], const uint8_t *op,
		const uint8_t *opc, const uint8_t rnd[MILENAGE_RAND_LEN],
		const uint8_t auts[MILENAGE_AUTS_LEN], uint64_t *sqn_ms);

/*
 * The UE side of resynchronisation, so tests and scenario tools can produce
 * the AUTS a real USIM would send.
 */
int milenage_generate_auts(const uint8_t k[MILENAGE_K_LEN], const uint8_t *op,
		const uint8_t *opc, const uint8_t rnd[MILENAGE_RAND_LEN],
		uint64_t sqn_ms, uint8_t auts[MILENAGE_AUTS_LEN]);

#endif /* MILENAGE_H */
