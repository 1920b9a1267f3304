/*
 * milenage-vector: prints one IMS-AKA vector (or a resync SQN) as JSON.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "milenage.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define EXIT_USAGE 2

static const char usage_text[] =
		"usage: milenage-vector --k HEX32 (--op HEX32 | --opc HEX32)\n"
		"                       --sqn HEX12 --amf HEX4 [--rand HEX32] "
		"[--nonce]\n"
		"       milenage-vector --k HEX32 (--op HEX32 | --opc HEX32)\n"
		"                       --rand HEX32 --auts HEX28\n"
		"Prints one JSON object on one line, hex in lower case:\n"
		"  {\"rand\",\"autn\",\"xres\",\"ck\",\"ik\",\"sqn\"} and, with "
		"--nonce,\n"
		"  \"nonce\" = base64(RAND || AUTN) as in the IMS-AKA "
		"WWW-Authenticate.\n"
		"Without --rand, RAND comes from RAND_bytes.\n"
		"With --auts, checks MAC-S and prints {\"sqn_ms\"}; exit 1 if it "
		"fails.\n";

static int usage(const char *why)
{
	if(why != NULL)
		fprintf(stderr, "milenage-vector: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static int hex_nibble(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exact length only: a short K or SQN is a typo, never something to pad. */
static int parse_hex(const char *s, uint8_t *out, size_t len)
{
	size_t i;

	if(strlen(s) != 2 * len)
		return -1;
	for(i = 0; i < len; i++) {
		int hi = hex_nibble(s[2 * i]);
		int lo = hex_nibble(s[2 * i + 1]);

		if(hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void put_hex(const char *name, const uint8_t *v, size_t len, int first)
{
	size_t i;

	printf("%s\"%s\":\"", first ? "" : ",", name);
	for(i = 0; i < len; i++)
		printf("%02x", v[i]);
	putchar('"');
}

struct args
{
	const char *k, *op, *opc, *sqn, *amf, *rand, *auts;
	int nonce;
	int help;
};

/* Each option at most once, so a scenario file cannot silently override. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct
	{
		const char *name;
		size_t field;
	} opts[] = {
			{"--k", offsetof(struct args, k)},
			{"--op", offsetof(struct args, op)},
			{"--opc", offsetof(struct args, opc)},
			{"--sqn", offsetof(struct args, sqn)},
			{"--amf", offsetof(struct args, amf)},
			{"--rand", offsetof(struct args, rand)},
			{"--auts", offsetof(struct args, auts)},
	};
	int i;
	size_t j;

	memset(a, 0, sizeof(*a));
	for(i = 1; i < argc; i++) {
		const char **slot = NULL;

		if(strcmp(argv[i], "--nonce") == 0) {
			if(a->nonce)
				return usage("--nonce given twice");
			a->nonce = 1;
			continue;
		}
		if(strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			a->help = 1;
			return 0;
		}
		for(j = 0; j < sizeof(opts) / sizeof(opts[0]); j++)
			if(strcmp(argv[i], opts[j].name) == 0)
				slot = (const char **)((char *)a + opts[j].field);
		if(slot == NULL) {
			fprintf(stderr, "milenage-vector: unknown argument '%s'\n",
					argv[i]);
			return usage(NULL);
		}
		if(*slot != NULL) {
			fprintf(stderr, "milenage-vector: %s given twice\n", argv[i]);
			return usage(NULL);
		}
		if(i + 1 >= argc) {
			fprintf(stderr, "milenage-vector: %s needs a value\n", argv[i]);
			return usage(NULL);
		}
		*slot = argv[++i];
	}
	return 0;
}

static int run_resync(const uint8_t *k, const uint8_t *op, const uint8_t *opc,
		const struct args *a)
{
	uint8_t rnd[MILENAGE_RAND_LEN], auts[MILENAGE_AUTS_LEN];
	uint64_t sqn_ms = 0;
	int rc;

	if(a->rand == NULL)
		return usage("--auts needs the --rand it answers");
	if(a->sqn != NULL || a->amf != NULL || a->nonce)
		return usage("--auts does not take --sqn, --amf or --nonce");
	if(parse_hex(a->rand, rnd, sizeof(rnd)) != 0)
		return usage("--rand must be 32 hex digits");
	if(parse_hex(a->auts, auts, sizeof(auts)) != 0)
		return usage("--auts must be 28 hex digits");

	rc = milenage_resync(k, op, opc, rnd, auts, &sqn_ms);
	if(rc == MILENAGE_EMAC) {
		fputs("milenage-vector: MAC-S of AUTS does not verify\n", stderr);
		return 1;
	}
	if(rc != MILENAGE_OK) {
		fputs("milenage-vector: Milenage failed\n", stderr);
		return 1;
	}
	printf("{\"sqn_ms\":\"%012llx\"}\n", (unsigned long long)sqn_ms);
	return 0;
}

static int run_vector(const uint8_t *k, const uint8_t *op, const uint8_t *opc,
		const struct args *a)
{
	uint8_t rnd[MILENAGE_RAND_LEN], sqn_oct[MILENAGE_SQN_LEN];
	uint8_t amf_oct[MILENAGE_AMF_LEN];
	uint8_t nonce_raw[MILENAGE_RAND_LEN + MILENAGE_AUTN_LEN];
	/* base64 of 32 octets is 44 characters, plus the NUL EVP writes. */
	unsigned char nonce_b64[4 * ((sizeof(nonce_raw) + 2) / 3) + 1];
	struct milenage_av av;
	uint64_t sqn = 0;
	int i;

	if(a->sqn == NULL || a->amf == NULL)
		return usage("--sqn and --amf are required");
	if(parse_hex(a->sqn, sqn_oct, sizeof(sqn_oct)) != 0)
		return usage("--sqn must be 12 hex digits (48 bits)");
	if(parse_hex(a->amf, amf_oct, sizeof(amf_oct)) != 0)
		return usage("--amf must be 4 hex digits");
	if(a->rand != NULL) {
		if(parse_hex(a->rand, rnd, sizeof(rnd)) != 0)
			return usage("--rand must be 32 hex digits");
	} else if(RAND_bytes(rnd, sizeof(rnd)) != 1) {
		fputs("milenage-vector: RAND_bytes failed\n", stderr);
		return 1;
	}
	for(i = 0; i < MILENAGE_SQN_LEN; i++)
		sqn = (sqn << 8) | sqn_oct[i];

	if(milenage_generate_av(k, op, opc, sqn,
			   (uint16_t)(amf_oct[0] << 8 | amf_oct[1]), rnd, &av)
			!= MILENAGE_OK) {
		fputs("milenage-vector: Milenage failed\n", stderr);
		return 1;
	}

	putchar('{');
	put_hex("rand", av.rand, sizeof(av.rand), 1);
	put_hex("autn", av.autn, sizeof(av.autn), 0);
	put_hex("xres", av.xres, sizeof(av.xres), 0);
	put_hex("ck", av.ck, sizeof(av.ck), 0);
	put_hex("ik", av.ik, sizeof(av.ik), 0);
	put_hex("sqn", sqn_oct, sizeof(sqn_oct), 0);
	if(a->nonce) {
		memcpy(nonce_raw, av.rand, MILENAGE_RAND_LEN);
		memcpy(nonce_raw + MILENAGE_RAND_LEN, av.autn, MILENAGE_AUTN_LEN);
		EVP_EncodeBlock(nonce_b64, nonce_raw, (int)sizeof(nonce_raw));
		printf(",\"nonce\":\"%s\"", (const char *)nonce_b64);
	}
	puts("}");
	OPENSSL_cleanse(&av, sizeof(av));
	return 0;
}

int main(int argc, char **argv)
{
	struct args a;
	uint8_t k[MILENAGE_K_LEN], op[MILENAGE_OP_LEN];
	int rc;

	rc = parse_args(argc, argv, &a);
	if(rc != 0)
		return rc;
	if(a.help) {
		fputs(usage_text, stdout);
		return 0;
	}
	if(a.k == NULL)
		return usage("--k is required");
	if((a.op == NULL) == (a.opc == NULL))
		return usage("give exactly one of --op and --opc");
	if(parse_hex(a.k, k, sizeof(k)) != 0)
		return usage("--k must be 32 hex digits");
	if(parse_hex(a.op != NULL ? a.op : a.opc, op, sizeof(op)) != 0)
		return usage("--op/--opc must be 32 hex digits");

	if(a.auts != NULL)
		rc = run_resync(
				k, a.op != NULL ? op : NULL, a.opc != NULL ? op : NULL, &a);
	else
		rc = run_vector(
				k, a.op != NULL ? op : NULL, a.opc != NULL ? op : NULL, &a);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(op, sizeof(op));
	if(rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fputs("milenage-vector: write error\n", stderr);
		rc = 1;
	}
	return rc;
}
