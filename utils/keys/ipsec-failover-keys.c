/*
 * ipsec-failover-keys - key files of ims_ipsec_failover for admins:
 *
 *   ipsec-failover-keys new KEYID [active]   a new random sealing key line
 *   ipsec-failover-keys verify [FILE]        the S-CSCF's verify-only file
 *                                            for a P-CSCF sealing key file
 *   ipsec-failover-keys check FILE           which kind, which key ids
 *
 * verify reads FILE or standard input and writes standard output, so the
 * sealing keys never need to be copied to the S-CSCF host: run it on a
 * P-CSCF and ship only its output. Key bytes are never passed on a
 * command line (visible in ps) and never written to stderr.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ifo_err.h"
#include "ifo_keyring.h"
#include "ifo_record.h"

/* same bound as the library's own loader */
#define INPUT_MAX 65536

static int usage(void)
{
	fputs("usage: ipsec-failover-keys new KEYID [active]\n"
		  "       ipsec-failover-keys verify [SEALING-KEY-FILE]\n"
		  "       ipsec-failover-keys check KEY-FILE\n",
			stderr);
	return 2;
}

static int cmd_new(int argc, char **argv)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char key[IFO_RING_KEY_LEN];
	char line[IFO_KEYID_MAX + 2 * IFO_RING_KEY_LEN + 16];
	size_t pos, i;

	if(argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "active") != 0))
		return usage();
	if(!ifo_token_valid(argv[2], strlen(argv[2]), IFO_KEYID_MAX)) {
		fprintf(stderr,
				"ipsec-failover-keys: key id must be 1-%d characters of "
				"A-Z a-z 0-9 . _ -\n",
				IFO_KEYID_MAX);
		return 1;
	}
	if(RAND_bytes(key, sizeof(key)) != 1) {
		fputs("ipsec-failover-keys: no randomness from OpenSSL\n", stderr);
		return 1;
	}
	pos = (size_t)sprintf(line, "%s ", argv[2]);
	for(i = 0; i < sizeof(key); i++) {
		line[pos++] = hex[key[i] >> 4];
		line[pos++] = hex[key[i] & 15];
	}
	OPENSSL_cleanse(key, sizeof(key));
	pos += (size_t)sprintf(line + pos, "%s\n", argc == 4 ? " active" : "");
	fwrite(line, 1, pos, stdout);
	OPENSSL_cleanse(line, sizeof(line));
	return fflush(stdout) == 0 ? 0 : 1;
}

/* The whole of standard input, with read(2) so no stdio buffer keeps it. */
static int read_stdin(char *buf, size_t *len)
{
	ssize_t got;

	*len = 0;
	while(*len <= INPUT_MAX) {
		got = read(0, buf + *len, INPUT_MAX + 1 - *len);
		if(got < 0 && errno == EINTR)
			continue;
		if(got < 0)
			return -1;
		if(got == 0)
			return 0;
		*len += (size_t)got;
	}
	errno = EFBIG;
	return -1;
}

static int cmd_verify(int argc, char **argv)
{
	static char in[INPUT_MAX + 1];
	char out[IFO_VERIFY_TEXT_MAX], err[160];
	ifo_keyring_t *kr = NULL;
	size_t inlen = 0, outlen = 0;
	int rc;

	if(argc > 3)
		return usage();
	if(argc == 3) {
		rc = ifo_keyring_load(argv[2], &kr, err, sizeof(err));
	} else if(read_stdin(in, &inlen) < 0) {
		fprintf(stderr, "ipsec-failover-keys: standard input: %s\n",
				strerror(errno));
		return 1;
	} else {
		rc = ifo_keyring_from_memory(in, inlen, &kr, err, sizeof(err));
		OPENSSL_cleanse(in, inlen);
	}
	if(rc != IFO_OK) {
		fprintf(stderr, "ipsec-failover-keys: %s\n", err);
		return 1;
	}
	rc = ifo_keyring_verify_text(kr, out, sizeof(out), &outlen);
	ifo_keyring_free(kr);
	if(rc != IFO_OK) {
		fprintf(stderr, "ipsec-failover-keys: %s\n", ifo_strerror(rc));
		return 1;
	}
	fputs("# ims_ipsec_failover_scscf verify_key_file: verifies records, "
		  "cannot open them\n",
			stdout);
	fwrite(out, 1, outlen, stdout);
	OPENSSL_cleanse(out, sizeof(out));
	return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_check(int argc, char **argv)
{
	char serr[160], verr[160];
	ifo_keyring_t *kr = NULL;
	const char *active;
	int i;

	if(argc != 3)
		return usage();
	if(ifo_keyring_load(argv[2], &kr, serr, sizeof(serr)) == IFO_OK) {
		printf("sealing key file (P-CSCF), %d key(s)\n", ifo_keyring_count(kr));
	} else if(ifo_keyring_load_verify(argv[2], &kr, verr, sizeof(verr))
			  == IFO_OK) {
		printf("verify key file (S-CSCF), %d key(s)\n", ifo_keyring_count(kr));
	} else {
		fprintf(stderr, "ipsec-failover-keys: %s\n", serr);
		return 1;
	}
	active = ifo_keyring_active_id(kr);
	for(i = 0; i < ifo_keyring_count(kr); i++) {
		const char *id = ifo_keyring_id(kr, i);
		printf("%s%s\n", id, active && strcmp(id, active) == 0 ? " active" : "");
	}
	ifo_keyring_free(kr);
	return 0;
}

int main(int argc, char **argv)
{
	if(argc < 2)
		return usage();
	if(strcmp(argv[1], "new") == 0)
		return cmd_new(argc, argv);
	if(strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc, argv);
	if(strcmp(argv[1], "check") == 0)
		return cmd_check(argc, argv);
	return usage();
}
