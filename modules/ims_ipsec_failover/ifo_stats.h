/*
 * Statistics of ims_ipsec_failover, shown by `kamcmd stats.get_statistics`.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_STATS_H
#define IFO_STATS_H

#include "core/counters.h"

extern stat_var *ifo_st_exported;
extern stat_var *ifo_st_export_failed;
extern stat_var *ifo_st_stripped;
extern stat_var *ifo_st_recovered;
extern stat_var *ifo_st_open_failed;
extern stat_var *ifo_st_collisions;
extern stat_var *ifo_st_takeovers_started;
extern stat_var *ifo_st_takeovers_finished;
extern stat_var *ifo_st_takeover_busy;	   /* refused: one was running */
extern stat_var *ifo_st_claim_superseded; /* the S-CSCF held a newer record */
extern stat_var *ifo_st_lazy_refused;	   /* record not from an S-CSCF */
extern stat_var *ifo_st_kernel_errors;   /* takeovers: kernel errors */
extern stat_var *ifo_st_usrloc_errors;   /* takeovers: contacts not rebuilt */
extern stat_var *ifo_st_claim_errors;	   /* takeovers: left out of claims */
extern stat_var *ifo_st_lazy_recovered;
extern stat_var *ifo_st_lazy_failed;
extern stat_var *ifo_st_spi_allocatable;
extern stat_var *ifo_st_ports_unserved;
extern stat_var *ifo_st_leftovers;
extern stat_var *ifo_st_reclaimed; /* UEs taken back, numbers jumped */
extern stat_var *ifo_st_released;  /* copies let go: another node serves */
extern stat_var *ifo_st_late_answers; /* S-CSCF answers after their timeout */
extern stat_var *ifo_st_address_gained; /* listen address became this node's */

int ifo_stats_init(const char *module);

#endif
