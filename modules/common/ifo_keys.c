/*
 * Key ring lifecycle across Kamailio processes.
 *
 * The ring itself lives in each process's private memory (it is only ever
 * read there, and keys never go to shared memory where other modules could
 * dump them). A shared generation number tells workers that an RPC reload
 * validated a new file, and each one re-reads it on its next use.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <string.h>
#include <stdio.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"

#include "ifo_keys.h"
#include "ifo_shm.h"

#define KEYS_ERR_MAX 160

/* A process whose own reload fails keeps its previous ring and only
 * knows it in its private memory, while the status RPC runs in another
 * one: the failure is published here for it. */
typedef struct keys_shared
{
	atomic_t gen;
	gen_lock_t lock; /* err_gen and err */
	int err_gen;	 /* generation a reload failed for; -1 none */
	char err[KEYS_ERR_MAX];
} keys_shared_t;

static const char *key_path;
static int key_verify_only;
static keys_shared_t *shared;
static int local_gen = -1;
static ifo_keyring_t *local_ring;
static char local_err[KEYS_ERR_MAX] = "not loaded yet";

static int load_file(ifo_keyring_t **kr, char *err, size_t errlen)
{
	return key_verify_only ? ifo_keyring_load_verify(key_path, kr, err, errlen)
						   : ifo_keyring_load(key_path, kr, err, errlen);
}

static int load_local(char *err, size_t errlen)
{
	ifo_keyring_t *kr = NULL;

	if(load_file(&kr, err, errlen) != IFO_OK)
		return -1;
	if(local_ring)
		ifo_keyring_free(local_ring);
	local_ring = kr;
	return 0;
}

int ifo_keys_init(const char *path, int verify_only)
{
	key_path = path;
	key_verify_only = verify_only;
	shared = ifo_shm_locked_new(sizeof(*shared),
			offsetof(keys_shared_t, lock), "the key ring lock");
	if(shared == NULL)
		return -1;
	atomic_set(&shared->gen, 0);
	shared->err_gen = -1;
	local_gen = 0;
	if(load_local(local_err, sizeof(local_err)) < 0)
		return 1;
	local_err[0] = '\0';
	if(verify_only)
		LM_INFO("loaded %d verify key(s) from %s\n",
				ifo_keyring_count(local_ring), key_path);
	else
		LM_INFO("loaded %d sealing key(s) from %s, active key id '%s'\n",
				ifo_keyring_count(local_ring), key_path,
				ifo_keyring_active_id(local_ring));
	return 0;
}

const ifo_keyring_t *ifo_keys_get(void)
{
	int gen;

	if(shared == NULL)
		return NULL;
	gen = atomic_get(&shared->gen);
	if(gen != local_gen) {
		local_gen = gen;
		if(load_local(local_err, sizeof(local_err)) < 0) {
			/* The RPC validated this file moments ago; keep serving with
			 * the ring we had rather than none. */
			LM_ERR("reloading %s: %s\n", key_path, local_err);
			lock_get(&shared->lock);
			shared->err_gen = gen;
			strcpy(shared->err, local_err);
			lock_release(&shared->lock);
		} else {
			local_err[0] = '\0';
		}
	}
	return local_ring;
}

int ifo_keys_reload(char *err, size_t errlen)
{
	ifo_keyring_t *kr = NULL;

	if(shared == NULL) {
		snprintf(err, errlen, "no key file configured");
		return -1;
	}
	if(load_file(&kr, err, errlen) != IFO_OK)
		return -1;
	ifo_keyring_free(kr);
	atomic_inc(&shared->gen);
	return 0;
}

const char *ifo_keys_error(void)
{
	if(shared == NULL)
		return "no key file configured";
	return local_ring ? "" : local_err;
}

int ifo_keys_reload_error(char *buf, size_t len)
{
	int failed = 0;

	buf[0] = '\0';
	if(shared == NULL || len == 0)
		return 0;
	lock_get(&shared->lock);
	/* a failure of an older generation is stale: the processes it hit
	 * load the file again on their next use */
	if(shared->err_gen >= 0 && shared->err_gen == atomic_get(&shared->gen)) {
		snprintf(buf, len, "%s", shared->err);
		failed = 1;
	}
	lock_release(&shared->lock);
	return failed;
}

void ifo_keys_destroy(void)
{
	if(local_ring) {
		ifo_keyring_free(local_ring);
		local_ring = NULL;
	}
	if(shared) {
		lock_destroy(&shared->lock);
		shm_free(shared);
		shared = NULL;
	}
}

void ifo_keys_rpc_list(rpc_t *rpc, void *ctx)
{
	const ifo_keyring_t *kr = ifo_keys_get();
	const char *active, *id;
	void *th;
	int i;

	if(kr == NULL) {
		rpc->fault(ctx, 500, "No key ring loaded: %s", ifo_keys_error());
		return;
	}
	active = ifo_keyring_active_id(kr);
	for(i = 0; i < ifo_keyring_count(kr); i++) {
		id = ifo_keyring_id(kr, i);
		if(rpc->add(ctx, "{", &th) < 0) {
			rpc->fault(ctx, 500, "Internal error creating reply");
			return;
		}
		if(active)
			rpc->struct_add(
					th, "sd", "id", id, "active", strcmp(id, active) == 0);
		else
			rpc->struct_add(th, "s", "id", id);
	}
}

void ifo_keys_rpc_reload(rpc_t *rpc, void *ctx)
{
	char err[KEYS_ERR_MAX];

	if(ifo_keys_reload(err, sizeof(err)) < 0) {
		rpc->fault(ctx, 500, "Key file refused: %s", err);
		return;
	}
	rpc->rpl_printf(ctx, "Ok. Key file accepted.");
}
