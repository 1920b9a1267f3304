/*
 * ifo_secagree.h - parser for the ipsec-3gpp mechanism of the RFC 3329
 * Security-Client / Security-Server / Security-Verify header values
 * (3GPP TS 33.203 annex H), as the P-CSCF sees them on a REGISTER.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SECAGREE_H
#define IFO_SECAGREE_H

#include <stddef.h>
#include <stdint.h>

#include "ifo_record.h"

typedef struct ifo_secagree
{
	char alg[IFO_ALG_MAX + 1];	/* e.g. hmac-sha-1-96 */
	char ealg[IFO_ALG_MAX + 1]; /* e.g. aes-cbc; "" when absent */
	char prot[IFO_SHORT_MAX + 1];
	char mod[IFO_SHORT_MAX + 1];
	uint32_t spi_c, spi_s;
	uint16_t port_c, port_s;
} ifo_secagree_t;

/*
 * Parses the first "ipsec-3gpp" entry of a header value that may list
 * several comma-separated mechanisms. spi-c, spi-s, port-c and port-s are
 * required (non-zero); unknown parameters are skipped. Returns IFO_OK,
 * or IFO_ERR_FORMAT when there is no complete ipsec-3gpp entry.
 */
int ifo_secagree_parse(const char *s, size_t len, ifo_secagree_t *out);

#endif
