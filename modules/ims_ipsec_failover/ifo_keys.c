/*
 * Key ring lifecycle across Kamailio processes.
 *
 * The ring itself lives in each process's private memory (it is only ever
 * read there, and keys never go to shared memory where other modules could
 * dump them). A shared generation number tells workers that an RPC reload
 * validated a new file, and each one re-reads it on its next use.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <stdio.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"
#include "core/atomic_ops.h"

#include "ifo_keys.h"

static const char *key_path;
static atomic_t *shared_gen;
static int local_gen = -1;
static ifo_keyring_t *local_ring;
static char local_err[160] = "not loaded yet";

static int load_local(char *err, size_t errlen)
{
	ifo_keyring_t *kr = NULL;
	int rc;

	rc = ifo_keyring_load(key_path, &kr, err, errlen);
	if(rc != IFO_OK)
		return -1;
	if(local_ring)
		ifo_keyring_free(local_ring);
	local_ring = kr;
	return 0;
}

int ifo_keys_init(const char *path)
{
	key_path = path;
	shared_gen = shm_malloc(sizeof(*shared_gen));
	if(shared_gen == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	atomic_set(shared_gen, 0);
	local_gen = 0;
	if(load_local(local_err, sizeof(local_err)) < 0) {
		LM_WARN("no sealing keys: %s: %s - registrations go on, but no "
				"SA record is exported until the key file is fixed and "
				"ims_ipsec_failover.reload_keys is called\n",
				key_path, local_err);
		return 0;
	}
	local_err[0] = '\0';
	LM_INFO("loaded %d sealing key(s) from %s, active key id '%s'\n",
			ifo_keyring_count(local_ring), key_path,
			ifo_keyring_active_id(local_ring));
	return 0;
}

const ifo_keyring_t *ifo_keys_get(void)
{
	int gen;

	if(shared_gen == NULL)
		return NULL;
	gen = atomic_get(shared_gen);
	if(gen != local_gen) {
		local_gen = gen;
		if(load_local(local_err, sizeof(local_err)) < 0) {
			/* The RPC validated this file moments ago; keep serving with
			 * the ring we had rather than none. */
			LM_ERR("reloading %s: %s\n", key_path, local_err);
		} else {
			local_err[0] = '\0';
		}
	}
	return local_ring;
}

int ifo_keys_reload(char *err, size_t errlen)
{
	ifo_keyring_t *kr = NULL;

	if(ifo_keyring_load(key_path, &kr, err, errlen) != IFO_OK)
		return -1;
	ifo_keyring_free(kr);
	atomic_inc(shared_gen);
	return 0;
}

const char *ifo_keys_error(void)
{
	return local_ring ? "" : local_err;
}

void ifo_keys_destroy(void)
{
	if(local_ring) {
		ifo_keyring_free(local_ring);
		local_ring = NULL;
	}
	if(shared_gen) {
		shm_free(shared_gen);
		shared_gen = NULL;
	}
}
