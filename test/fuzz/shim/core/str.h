/*
 * shim/core/str.h - the one Kamailio type the S-CSCF's URI helpers
 * (modules/ims_ipsec_failover_scscf/ifs_uri.c) use, laid out as Kamailio's
 * own core/str.h has it, so that the fuzz target builds them without the
 * Kamailio source.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_SHIM_CORE_STR_H
#define FUZZ_SHIM_CORE_STR_H

struct _str
{
	char *s;
	int len;
};
typedef struct _str str;

#endif
