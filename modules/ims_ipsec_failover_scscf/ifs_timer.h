/*
 * Contact following: a periodic pass that keeps every record exactly as
 * long as its ims_usrloc_scscf contact lives. Polling is the ground truth
 * because usrloc fires no callback on de-registration or expiry.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_TIMER_H
#define IFS_TIMER_H

#include <time.h>

#include "core/str.h"

/* The pass runs every ifs_cfg.check_interval seconds in a timer process
 * of the module's own ("IMS IPSEC FAILOVER TIMER"), as usrloc's timer
 * does, not in the core's shared slow timer whose other users would wait
 * for its database writes: ifs_timer_init() in mod_init counts the
 * process, ifs_timer_fork() in child_init(PROC_MAIN) starts it. */
int ifs_timer_init(void);
int ifs_timer_fork(void);

/*
 * A fetch or claim is being served: the pass in progress pauses until
 * none came for IFS_TIMER_YIELD_MS (at most IFS_TIMER_YIELD_MAX_S in a
 * pass). A pass asks usrloc about every record (at 10,000 records the
 * bench saw passes take 1.3 s of a takeover's 21), and a takeover's
 * fetches and claims come back to back and want the S-CSCF's CPU now;
 * the pass can wait, the UEs cannot.
 */
#define IFS_TIMER_YIELD_MS 1000
#define IFS_TIMER_YIELD_MAX_S 60
void ifs_timer_serving(void);

/*
 * Bring the record of one contact in line with usrloc now: drop it if the
 * contact is invalid or past the sealed expiry, or gone (for a record
 * confirmed since start-up), else follow the contact's expiry and mark the
 * record confirmed. keep_missing != 0 keeps a record whose contact is
 * absent until its stored expiry. Returns 1 if the record was dropped.
 * Used by the timer and after a REGISTER that brought no record.
 */
int ifs_timer_follow(const str *contact, int keep_missing, time_t now);

#endif
