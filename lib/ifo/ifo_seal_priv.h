/*
 * ifo_seal_priv.h - the sealing step without the checks of ifo_seal, for
 * the library's own tests and fuzz targets (they seal bytes that are no
 * valid record, to reach what ifo_open does after authentication); not
 * for use by modules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_SEAL_PRIV_H
#define IFO_SEAL_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "ifo_keyring.h"

/*
 * Seals the blob hdr | ctlen | GCM(body) | tag | vtag (ifo_seal.h) under
 * key keyid of sealing ring kr, with nonce as the GCM nonce, and writes
 * its text into out as ifo_seal does. hdr and body are taken as they
 * are: nothing checks that they decode. Errors: IFO_ERR_INVAL,
 * IFO_ERR_KEYID (no such key, or a verify-only ring), IFO_ERR_TOOLONG
 * (hlen over IFO_HEADER_MAX, blen over IFO_BODY_MAX, out too small),
 * IFO_ERR_CRYPTO, IFO_ERR_NOMEM.
 */
int ifo_seal_raw(const ifo_keyring_t *kr, const char *keyid,
		const uint8_t *nonce, const uint8_t *hdr, size_t hlen,
		const uint8_t *body, size_t blen, char *out, size_t outsz,
		size_t *outlen);

#endif /* IFO_SEAL_PRIV_H */
