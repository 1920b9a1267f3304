/*
 * Record origin checks of the S-CSCF.
 *
 * A record's generation and contact are in its clear header, so without a
 * key anything well-formed could replace a good record (a faulty P-CSCF,
 * one with an old key, a forged header): the P-CSCF would only notice at
 * takeover, when the good record is gone. The verify keys close that.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_seal.h"
#include "ifo_keys.h"

#include "ifs_config.h"
#include "ifs_verify.h"

static int configured;

int ifs_verify_init(void)
{
	int rc;

	if(ifs_cfg.verify_key_file.s == NULL || ifs_cfg.verify_key_file.len == 0) {
		LM_WARN("verify_key_file not set: records are stored without "
				"checking that the pool sealed them, so a forged or "
				"foreign-key record can replace a good one; set it to the "
				"output of 'ipsec-failover-keys verify'\n");
		return 0;
	}
	configured = 1;
	rc = ifo_keys_init(ifs_cfg.verify_key_file.s, 1);
	if(rc > 0)
		LM_ERR("no verify keys: %s: %s - every record is refused "
			   "(rejected_auth) until the file is fixed and "
			   "ims_ipsec_failover_scscf.reload_keys is called; stored "
			   "records are kept\n",
				ifs_cfg.verify_key_file.s, ifo_keys_error());
	return rc < 0 ? -1 : 0;
}

int ifs_verify(const char *text, int len, ifo_header_t *h)
{
	const ifo_keyring_t *kr;
	int rc;

	if(len < 0)
		len = 0;
	if(!configured)
		return ifo_peek(text, (size_t)len, h);
	kr = ifo_keys_get();
	rc = kr ? ifo_verify(kr, text, (size_t)len, h) : IFO_ERR_NOKEY;
	if(ifs_verify_is_auth_error(rc))
		ifo_peek(text, (size_t)len, h);
	return rc;
}

int ifs_verify_is_auth_error(int rc)
{
	return rc == IFO_ERR_AUTH || rc == IFO_ERR_KEYID || rc == IFO_ERR_NOKEY;
}

const char *ifs_verify_why(int rc)
{
	switch(rc) {
		case IFO_ERR_KEYID:
			return "key id not in verify_key_file (foreign or retired key)";
		case IFO_ERR_AUTH:
			return "verify tag mismatch (forged or altered, or another key "
				   "under a known id)";
		case IFO_ERR_NOKEY:
			return "no verify keys loaded";
		default:
			return ifo_strerror(rc);
	}
}

void ifs_verify_destroy(void)
{
	if(configured)
		ifo_keys_destroy();
}
