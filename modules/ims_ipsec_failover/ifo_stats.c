/*
 * Statistics of ims_ipsec_failover.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ifo_shared.h"
#include "ifo_stats.h"

stat_var *ifo_st_exported;
stat_var *ifo_st_export_failed;
stat_var *ifo_st_stripped;
stat_var *ifo_st_recovered;
stat_var *ifo_st_open_failed;
stat_var *ifo_st_collisions;
stat_var *ifo_st_takeovers_started;
stat_var *ifo_st_takeovers_finished;
stat_var *ifo_st_takeover_busy;
stat_var *ifo_st_claim_superseded;
stat_var *ifo_st_lazy_refused;
stat_var *ifo_st_kernel_errors;
stat_var *ifo_st_usrloc_errors;
stat_var *ifo_st_claim_errors;
stat_var *ifo_st_lazy_recovered;
stat_var *ifo_st_lazy_failed;
stat_var *ifo_st_spi_allocatable;
stat_var *ifo_st_ports_unserved;
stat_var *ifo_st_leftovers;
stat_var *ifo_st_reclaimed;
stat_var *ifo_st_released;
stat_var *ifo_st_late_answers;
stat_var *ifo_st_address_gained;

/* A gauge read from shared memory: how long the last takeover took. */
static counter_val_t last_takeover_ms(void)
{
	ifo_run_t last;

	ifo_takeover_state(NULL, &last, NULL);
	return (counter_val_t)(last.rep.usec / 1000);
}

/* clang-format off */
static stat_export_t ifo_stats[] = {
	{"exported_records", 0, &ifo_st_exported},
	{"export_failures", 0, &ifo_st_export_failed},
	{"stripped_headers", 0, &ifo_st_stripped},
	{"takeovers_started", 0, &ifo_st_takeovers_started},
	{"takeovers_finished", 0, &ifo_st_takeovers_finished},
	{"takeovers_busy", 0, &ifo_st_takeover_busy},
	{"claims_superseded", 0, &ifo_st_claim_superseded},
	{"lazy_refused", 0, &ifo_st_lazy_refused},
	{"kernel_errors", 0, &ifo_st_kernel_errors},
	{"usrloc_errors", 0, &ifo_st_usrloc_errors},
	{"claim_errors", 0, &ifo_st_claim_errors},
	{"last_takeover_ms", STAT_IS_FUNC | STAT_NO_RESET,
		(stat_var **)last_takeover_ms},
	{"recovered_ues", 0, &ifo_st_recovered},
	{"records_unopenable", 0, &ifo_st_open_failed},
	{"spi_collisions", 0, &ifo_st_collisions},
	{"lazy_recovered", 0, &ifo_st_lazy_recovered},
	{"lazy_failed", 0, &ifo_st_lazy_failed},
	{"refused_allocatable_spis", 0, &ifo_st_spi_allocatable},
	{"refused_unserved_ports", 0, &ifo_st_ports_unserved},
	{"leftovers_replaced", 0, &ifo_st_leftovers},
	{"reclaimed_ues", 0, &ifo_st_reclaimed},
	{"released_ues", 0, &ifo_st_released},
	{"late_answers", 0, &ifo_st_late_answers},
	{"address_gained", 0, &ifo_st_address_gained},
	{0, 0, 0}
};
/* clang-format on */

int ifo_stats_init(const char *module)
{
	return register_module_stats((char *)module, ifo_stats);
}
