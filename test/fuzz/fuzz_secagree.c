/*
 * fuzz_secagree.c - Security-Client and Security-Verify header values
 * (ifo_secagree_parse), as the P-CSCF module reads them off a UE's
 * REGISTER. Checks that what parses has its required numbers and text
 * fields that fit and are printable.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "ifo_err.h"
#include "ifo_secagree.h"
#include "fuzz.h"

static void text(const char *s, size_t max)
{
	size_t i, n = strnlen(s, max + 1);

	FZ_CHECK(n <= max);
	for(i = 0; i < n; i++)
		FZ_CHECK((unsigned char)s[i] >= 0x21 && (unsigned char)s[i] <= 0x7e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ifo_secagree_t zero;
	char *in = fz_dup(data, size);
	ifo_secagree_t sa;
	int rc;

	rc = ifo_secagree_parse(in, size, &sa);
	if(rc != IFO_OK) {
		FZ_CHECK(rc == IFO_ERR_FORMAT);
		FZ_CHECK(memcmp(&sa, &zero, sizeof(sa)) == 0);
	} else {
		FZ_CHECK(sa.spi_c && sa.spi_s && sa.port_c && sa.port_s);
		text(sa.alg, IFO_ALG_MAX);
		text(sa.ealg, IFO_ALG_MAX);
		text(sa.prot, IFO_SHORT_MAX);
		text(sa.mod, IFO_SHORT_MAX);
	}
	free(in);
	return 0;
}
