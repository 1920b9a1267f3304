/*
 * See ifo_shm.h.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"

#include "ifo_shm.h"

void *ifo_shm_locked_new(size_t size, size_t lock_off, const char *what)
{
	char *p = shm_malloc(size);

	if(p == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(p, 0, size);
	if(lock_init((gen_lock_t *)(p + lock_off)) == NULL) {
		LM_ERR("cannot initialise %s\n", what);
		shm_free(p);
		return NULL;
	}
	return p;
}
