/*
 * Shared-memory state with a lock of its own, as both modules keep it
 * (the key ring's reload state, the P-CSCF's takeover state).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SHM_H
#define IFO_SHM_H

#include <stddef.h>

/* A zeroed shm block of size bytes whose gen_lock_t at lock_off is
 * initialised; NULL (logged, naming what) when memory or the lock
 * fails. Before the fork. */
void *ifo_shm_locked_new(size_t size, size_t lock_off, const char *what);

#endif
