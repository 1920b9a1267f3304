/*
 * fuzz_keyring.c - key files (ifo_keyring_from_memory and its verify-only
 * twin), the one input of the library that comes from the admin's disk
 * rather than the network or the database. Checks what a ring that loads
 * holds, that its verify file loads as a verify ring of the same ids, and
 * that no error message quotes the file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_keyring.h"
#include "fuzz.h"

/* An error message may name a line, never show a key: no run of 8 hex
 * digits in it. */
static void no_hex(const char *err)
{
	int run = 0;

	for(; *err; err++) {
		run = isxdigit((unsigned char)*err) ? run + 1 : 0;
		FZ_CHECK(run < 8);
	}
}

static void ring(const char *in, size_t n, int verify)
{
	char err[256], text[IFO_VERIFY_TEXT_MAX];
	ifo_keyring_t *kr, *vr;
	size_t len;
	int rc, i;

	rc = verify ? ifo_keyring_verify_from_memory(in, n, &kr, err, sizeof(err))
				: ifo_keyring_from_memory(in, n, &kr, err, sizeof(err));
	if(rc != IFO_OK) {
		FZ_CHECK(rc == IFO_ERR_FORMAT && kr == NULL && err[0]);
		no_hex(err);
		return;
	}
	FZ_CHECK(ifo_keyring_count(kr) >= 1
			 && ifo_keyring_count(kr) <= IFO_KEYRING_MAX);
	FZ_CHECK(ifo_keyring_is_verify(kr) == verify);
	FZ_CHECK((ifo_keyring_active_id(kr) == NULL) == verify);
	for(i = 0; i < ifo_keyring_count(kr); i++)
		FZ_CHECK(ifo_token_valid(ifo_keyring_id(kr, i),
				strlen(ifo_keyring_id(kr, i)), IFO_KEYID_MAX));
	if(!verify) {
		FZ_CHECK(ifo_keyring_verify_text(kr, text, sizeof(text), &len)
				 == IFO_OK);
		FZ_CHECK(ifo_keyring_verify_from_memory(text, len, &vr, NULL, 0)
				 == IFO_OK);
		FZ_CHECK(ifo_keyring_count(vr) == ifo_keyring_count(kr));
		for(i = 0; i < ifo_keyring_count(kr); i++)
			FZ_CHECK(strcmp(ifo_keyring_id(kr, i), ifo_keyring_id(vr, i)) == 0);
		ifo_keyring_free(vr);
	}
	ifo_keyring_free(kr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fz_dup(data, size);

	ring(in, size, 0);
	ring(in, size, 1);
	free(in);
	return 0;
}
