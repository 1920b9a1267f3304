/*
 * Who may write a record at the S-CSCF: with verify_key_file set, only a
 * holder of the pool's sealing keys (checked with verify-only keys, which
 * cannot open a record); without it, anything well-formed (warned at
 * start-up).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_VERIFY_H
#define IFS_VERIFY_H

#include "ifo/ifo_record.h"

/* Loads the verify keys when configured; -1 only on a fatal error. */
int ifs_verify_init(void);

/* ifo_verify with the loaded ring, or ifo_peek without verify keys.
 * On IFO_ERR_AUTH, IFO_ERR_KEYID or IFO_ERR_NOKEY, *h still holds the
 * unauthenticated clear header, for the log line only. */
int ifs_verify(const char *text, int len, ifo_header_t *h);

/* 1 for the errors of ifs_verify that mean "not from the pool". */
int ifs_verify_is_auth_error(int rc);

/* The reason for a log line, in the S-CSCF's terms. */
const char *ifs_verify_why(int rc);

void ifs_verify_destroy(void);

#endif
