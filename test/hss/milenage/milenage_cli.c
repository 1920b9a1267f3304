/*
 * milenage-vector: prints one IMS-AKA vector (or a resync SQN) as JSON.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
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
		"       milenage-vector --k HEX32 (--op HEX32 | --opc HEX32)\n"
		"                       --rand HEX32 --autn HEX32\n"
		"Prints one JSON object on one line, hex in lower case:\n"
		"  {\"rand\",\"autn\",\"xres\",\"ck\",\"ik\",\"sqn\"} and, with "
		"--nonce,\n"
		"  \"nonce\" = base64(RAND || AUTN) as in the IMS-AKA "
		"WWW-Authenticate.\n"
		"Without --rand, RAND comes from RAND_bytes.\n"
		"With --auts, checks MAC-S and prints {\"sqn_ms\"}; exit 1 if it "
		"fails.\n"
		"milenage-vector --batch reads one set of options per line and "
		"writes\n"
		"one JSON line per line ({\"error\":N} for one that fails).\n"
		"With --autn (the UE's side of a challenge), checks MAC-A and "
		"prints\n"
		"  {\"res\",\"ck\",\"ik\",\"sqn\",\"amf\"}; exit 1 if MAC-A "
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
	const char *k, *op, *opc, *sqn, *amf, *rand, *auts, *autn;
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
			{"--autn", offsetof(struct args, autn)},
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

/*
 * What the UE's USIM does with a challenge: recover SQN with AK, check
 * MAC-A over it, and only then derive RES, CK and IK. The SQN range check
 * a real USIM also makes is left to the caller (it prints the SQN).
 */
static int run_challenge(const uint8_t *k, const uint8_t *op,
		const uint8_t *opc, const struct args *a)
{
	uint8_t rnd[MILENAGE_RAND_LEN], autn[MILENAGE_AUTN_LEN];
	uint8_t opc_buf[MILENAGE_OP_LEN], ak[MILENAGE_AK_LEN];
	uint8_t sqn[MILENAGE_SQN_LEN], mac[MILENAGE_MAC_LEN];
	uint8_t res[MILENAGE_RES_LEN], ck[MILENAGE_CK_LEN], ik[MILENAGE_IK_LEN];
	int i, rc = 1;

	if(a->rand == NULL)
		return usage("--autn needs the --rand it came with");
	if(a->sqn != NULL || a->amf != NULL || a->nonce || a->auts != NULL)
		return usage("--autn does not take --sqn, --amf, --nonce or --auts");
	if(parse_hex(a->rand, rnd, sizeof(rnd)) != 0)
		return usage("--rand must be 32 hex digits");
	if(parse_hex(a->autn, autn, sizeof(autn)) != 0)
		return usage("--autn must be 32 hex digits");

	if(opc == NULL) {
		if(milenage_opc(k, op, opc_buf) != MILENAGE_OK)
			goto crypto;
		opc = opc_buf;
	}
	if(milenage_f5(k, opc, rnd, ak) != MILENAGE_OK)
		goto crypto;
	for(i = 0; i < MILENAGE_SQN_LEN; i++)
		sqn[i] = autn[i] ^ ak[i];
	if(milenage_f1(k, opc, rnd, sqn, autn + MILENAGE_SQN_LEN, mac)
			!= MILENAGE_OK)
		goto crypto;
	if(CRYPTO_memcmp(mac, autn + MILENAGE_SQN_LEN + MILENAGE_AMF_LEN,
			   MILENAGE_MAC_LEN)
			!= 0) {
		fputs("milenage-vector: MAC-A of AUTN does not verify\n", stderr);
		goto out;
	}
	if(milenage_f2(k, opc, rnd, res) != MILENAGE_OK
			|| milenage_f3(k, opc, rnd, ck) != MILENAGE_OK
			|| milenage_f4(k, opc, rnd, ik) != MILENAGE_OK)
		goto crypto;
	putchar('{');
	put_hex("res", res, sizeof(res), 1);
	put_hex("ck", ck, sizeof(ck), 0);
	put_hex("ik", ik, sizeof(ik), 0);
	put_hex("sqn", sqn, sizeof(sqn), 0);
	put_hex("amf", autn + MILENAGE_SQN_LEN, MILENAGE_AMF_LEN, 0);
	puts("}");
	rc = 0;
	goto out;
crypto:
	fputs("milenage-vector: Milenage failed\n", stderr);
out:
	OPENSSL_cleanse(opc_buf, sizeof(opc_buf));
	OPENSSL_cleanse(res, sizeof(res));
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
	return rc;
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

static int run_args(int argc, char **argv)
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

	if(a.autn != NULL)
		rc = run_challenge(
				k, a.op != NULL ? op : NULL, a.opc != NULL ? op : NULL, &a);
	else if(a.auts != NULL)
		rc = run_resync(
				k, a.op != NULL ? op : NULL, a.opc != NULL ? op : NULL, &a);
	else
		rc = run_vector(
				k, a.op != NULL ? op : NULL, a.opc != NULL ? op : NULL, &a);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(op, sizeof(op));
	return rc;
}

/*
 * --batch: one set of options per input line, one JSON line out per line
 * ({"error":N} with N the exit status a single run would have had). A
 * process start costs far more than a vector under user-mode-linux, so
 * the test HSS precomputes its vectors and the UE agent answers its
 * challenges through one such process each.
 */
static int run_batch(void)
{
	char line[1024];
	char *argv[24];
	int argc, rc;
	char *p, *save;

	while(fgets(line, sizeof(line), stdin) != NULL) {
		argc = 0;
		argv[argc++] = "milenage-vector";
		for(p = strtok_r(line, " \t\r\n", &save);
				p != NULL && argc < (int)(sizeof(argv) / sizeof(argv[0])) - 1;
				p = strtok_r(NULL, " \t\r\n", &save))
			argv[argc++] = p;
		argv[argc] = NULL;
		rc = run_args(argc, argv);
		if(rc != 0)
			printf("{\"error\":%d}\n", rc);
		if(fflush(stdout) != 0)
			return 1;
		OPENSSL_cleanse(line, sizeof(line));
	}
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if(argc == 2 && strcmp(argv[1], "--batch") == 0)
		return run_batch();
	rc = run_args(argc, argv);
	if(rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fputs("milenage-vector: write error\n", stderr);
		rc = 1;
	}
	return rc;
}
