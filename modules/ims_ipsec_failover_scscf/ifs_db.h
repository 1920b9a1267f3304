/*
 * Persistence of the record store through Kamailio's DB API (srdb1), so
 * that a restarted S-CSCF still holds every live record. Only sealed
 * records and their clear index fields are written: no key material.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_DB_H
#define IFS_DB_H

#include <time.h>

#include "core/str.h"

#include "ifs_store.h"

/*
 * mod_init: bind the driver of db_url, check its capabilities, check the
 * table answers a query with the expected columns, close the connection
 * (each process opens its own on first use). Nothing to do for db_mode 0.
 */
int ifs_db_init(void);

/*
 * Start-up (child_init of PROC_SIPINIT): put every row into the store,
 * delete from the database the rows that are expired or unusable, close
 * the connection. Returns the number of records loaded, -1 on error.
 */
int ifs_db_load(void);

/* Write-through (no-ops for db_mode 0), each guarded by generation as
 * ifs_store_persist_t says, so they need no store lock. They log and
 * count failures in db_errors and return -1; memory stays
 * authoritative. */
int ifs_db_write(const ifs_rec_t *r);
int ifs_db_remove(const str *contact, uint64_t gen);
int ifs_db_set_expires(const str *contact, uint64_t gen, time_t expires);

/* Writes between these two (one claim request, in one process) reach the
 * database together, in one transaction, at ifs_db_batch_end(), which must
 * not be called with a store lock held. A row whose record holds() says
 * memory no longer has (removed while the batch was open) is removed
 * again after the transaction. */
void ifs_db_batch_begin(void);
void ifs_db_batch_end(int (*holds)(const str *contact, uint64_t gen));

/* Per SIP worker: connect to the database now. */
void ifs_db_child_init(void);

void ifs_db_destroy(void);

#endif
