/*
 * ifo_keyring_priv.h - key ring internals shared by the library's own files
 * (the sealer needs the key bytes); not for use by modules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_KEYRING_PRIV_H
#define IFO_KEYRING_PRIV_H

#include <stdint.h>

#include "ifo_keyring.h"
#include "ifo_record.h"

struct ifo_key
{
	char id[IFO_KEYID_MAX + 1];
	uint8_t key[IFO_RING_KEY_LEN];	/* all zero in a verify-only ring */
	uint8_t vkey[IFO_RING_KEY_LEN]; /* derived from key, or as loaded */
};

struct ifo_keyring
{
	int count;
	int active; /* index into keys[]; valid in a sealing ring, -1 else */
	int verify_only;
	struct ifo_key keys[IFO_KEYRING_MAX];
};

/* Sealing key bytes for a key id, or NULL if the ring does not hold that
 * id or is verify-only. */
const uint8_t *ifo_keyring_key(const ifo_keyring_t *kr, const char *id);

/* Verify key bytes for a key id (either kind of ring), or NULL. */
const uint8_t *ifo_keyring_vkey(const ifo_keyring_t *kr, const char *id);

#endif /* IFO_KEYRING_PRIV_H */
