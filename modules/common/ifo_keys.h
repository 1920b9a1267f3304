/*
 * A key ring as seen by a multi-process Kamailio: loaded in mod_init,
 * reloaded by RPC, and picked up lazily by every worker so keys rotate
 * without a restart. The P-CSCF holds a sealing ring, the S-CSCF a
 * verify-only one.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_KEYS_H
#define IFO_KEYS_H

#include "core/rpc.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_keyring.h"

/* Allocates the shared generation counter and tries a first load of a
 * sealing (verify_only 0) or verify-only ring. Returns 0 when loaded, 1
 * when not (the reason in ifo_keys_error(); the caller says what that
 * means for its module, which keeps running), -1 on a fatal error. */
int ifo_keys_init(const char *path, int verify_only);

/* The ring this process should use now, or NULL when none is loaded
 * (the reason is in ifo_keys_error()). */
const ifo_keyring_t *ifo_keys_get(void);

/* Validates the file again and, when it is good, makes every process
 * switch to it. Returns 0, or -1 with the reason in err. */
int ifo_keys_reload(char *err, size_t errlen);

/* Why no ring is loaded in this process ("" when one is). */
const char *ifo_keys_error(void);

/* 1 with the reason in buf when some process failed to load the file of
 * the latest reload and still uses its previous ring, else 0 and "". */
int ifo_keys_reload_error(char *buf, size_t len);

void ifo_keys_destroy(void);

/* RPC bodies shared by both modules: key ids of the ring (with "active"
 * for a sealing ring), and a validated reload of the file. */
void ifo_keys_rpc_list(rpc_t *rpc, void *ctx);
void ifo_keys_rpc_reload(rpc_t *rpc, void *ctx);

#endif
