/*
 * fuzz.c - the fuzz targets' key rings and checks
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "fuzz.h"

/* Test keys of no value: every run and every seed uses them. */
static const char ring_text[] =
		"a 6675a2c0e1b0d7e3f1a8b9c4d5e6f7081928374655647382910abcdeffedcba0"
		" active\n"
		"b 0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff\n";

void fz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", what, file, line);
	abort();
}

const ifo_keyring_t *fz_ring(void)
{
	static ifo_keyring_t *kr;

	if(kr == NULL)
		FZ_CHECK(ifo_keyring_from_memory(
						 ring_text, strlen(ring_text), &kr, NULL, 0)
				 == IFO_OK);
	return kr;
}

const ifo_keyring_t *fz_vring(void)
{
	static ifo_keyring_t *vr;
	char text[IFO_VERIFY_TEXT_MAX];
	size_t len;

	if(vr == NULL) {
		FZ_CHECK(ifo_keyring_verify_text(fz_ring(), text, sizeof(text), &len)
				 == IFO_OK);
		FZ_CHECK(ifo_keyring_verify_from_memory(text, len, &vr, NULL, 0)
				 == IFO_OK);
	}
	return vr;
}

char *fz_dup(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	FZ_CHECK(p != NULL);
	if(size)
		memcpy(p, data, size);
	return p;
}
