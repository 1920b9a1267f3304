/*
 * ims_ipsec_failover_scscf: keeps each UE's sealed IPsec SA record with its
 * ims_usrloc_scscf contact, for exactly the contact's life, and hands the
 * records back to the P-CSCF that takes over a failed peer. The S-CSCF
 * never holds a sealing key: with verify-only keys it checks that a record
 * comes from the pool, and the clear header for the rest.
 *
 * This file is only glue: parameters, init, exports (cfg and KEMI).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <unistd.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mod_fix.h"
#include "core/kemi.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_seal.h"

#include "ifs_attach.h"
#include "ifs_config.h"
#include "ifs_db.h"
#include "ifs_moves.h"
#include "ifs_register.h"
#include "ifs_rpc.h"
#include "ifs_serve.h"
#include "ifs_stats.h"
#include "ifs_store.h"
#include "ifs_timer.h"
#include "ifs_ul.h"
#include "ifs_verify.h"

MODULE_VERSION

#define IFS_MOD_NAME "ims_ipsec_failover_scscf"

ifs_config_t ifs_cfg = {
		.header_name = str_init("X-IMS-SA-Record"),
		.hash_size = 4096,
		.check_interval = 10,
		.db_url = str_init(
				"sqlite:///var/lib/kamailio/ims_ipsec_failover.sqlite"),
		.db_table = str_init("ims_ipsec_failover"),
		.db_mode = IFS_DB_WRITETHRU,
		.service_route = STR_NULL,
		.verify_key_file = STR_NULL,
};

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);

/* ------------------------------------------------------------------ */
/* KEMI functions: the cfg wrappers below only unpack their parameters */

static int ki_ipsec_failover_store(sip_msg_t *msg, str *domain)
{
	static int warned = 0;
	void *d;

	/* ims_usrloc_scscf keeps contacts in one table for all domains, so
	 * the domain is not needed to find one; an unknown name (a typo, or a
	 * KEMI script where no fixup registered it) is reported, not fatal */
	if(!warned && ifs_ul_domain(domain, &d, 0) < 0) {
		LM_WARN("usrloc domain '%.*s' not registered: check the name given "
				"to save() and ipsec_failover_store()\n",
				domain->len, domain->s);
		warned = 1;
	}
	return ifs_register_store(msg);
}

static int ki_ipsec_failover_strip(sip_msg_t *msg)
{
	return ifs_register_strip(msg) > 0 ? 1 : -1;
}

static int ki_ipsec_failover_serve(sip_msg_t *msg)
{
	return ifs_serve(msg);
}

static int ki_ipsec_failover_attach(sip_msg_t *msg)
{
	return ifs_attach(msg);
}

/* ------------------------------------------------------------------ */
/* cfg wrappers */

static int w_ipsec_failover_store(sip_msg_t *msg, char *p1, char *p2)
{
	str domain;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &domain) < 0) {
		LM_ERR("cannot get the usrloc domain name\n");
		return IFS_RC_ERROR;
	}
	return ki_ipsec_failover_store(msg, &domain);
}

static int w_ipsec_failover_strip(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_strip(msg);
}

static int w_ipsec_failover_serve(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_serve(msg);
}

static int w_ipsec_failover_attach(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_attach(msg);
}

/* A constant domain is registered with usrloc here, before forking, as
 * ims_registrar_scscf's own fixups do: the order of fixups is not
 * defined, so this call may come first. */
static int fixup_store_domain(void **param, int param_no)
{
	gparam_t *gp;
	void *d;

	if(fixup_spve_null(param, param_no) < 0)
		return -1;
	gp = (gparam_t *)*param;
	if(gp->type == GPARAM_TYPE_STR && ifs_ul_domain(&gp->v.str, &d, 1) < 0)
		return -1;
	return 0;
}

static cmd_export_t cmds[] = {
		{"ipsec_failover_store", (cmd_function)w_ipsec_failover_store, 1,
				fixup_store_domain, fixup_free_spve_null,
				REQUEST_ROUTE | FAILURE_ROUTE},
		{"ipsec_failover_strip", (cmd_function)w_ipsec_failover_strip, 0, 0, 0,
				ANY_ROUTE},
		{"ipsec_failover_serve", (cmd_function)w_ipsec_failover_serve, 0, 0, 0,
				REQUEST_ROUTE},
		{"ipsec_failover_attach", (cmd_function)w_ipsec_failover_attach, 0, 0,
				0, REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE},
		{0, 0, 0, 0, 0, 0}};

static param_export_t params[] = {
		{"header_name", PARAM_STR, &ifs_cfg.header_name},
		{"hash_size", PARAM_INT, &ifs_cfg.hash_size},
		{"check_interval", PARAM_INT, &ifs_cfg.check_interval},
		{"db_url", PARAM_STR, &ifs_cfg.db_url},
		{"db_table", PARAM_STR, &ifs_cfg.db_table},
		{"db_mode", PARAM_INT, &ifs_cfg.db_mode},
		{"service_route", PARAM_STR, &ifs_cfg.service_route},
		{"verify_key_file", PARAM_STR, &ifs_cfg.verify_key_file},
		{0, 0, 0}};

/* clang-format off */
static sr_kemi_t sr_kemi_ims_ipsec_failover_scscf_exports[] = {
	{ str_init(IFS_MOD_NAME), str_init("ipsec_failover_store"),
		SR_KEMIP_INT, ki_ipsec_failover_store,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init(IFS_MOD_NAME), str_init("ipsec_failover_strip"),
		SR_KEMIP_INT, ki_ipsec_failover_strip,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init(IFS_MOD_NAME), str_init("ipsec_failover_serve"),
		SR_KEMIP_INT, ki_ipsec_failover_serve,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init(IFS_MOD_NAME), str_init("ipsec_failover_attach"),
		SR_KEMIP_INT, ki_ipsec_failover_attach,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_ims_ipsec_failover_scscf_exports);
	return 0;
}

/* ------------------------------------------------------------------ */

static const ifs_store_persist_t db_persist = {
		ifs_db_write, ifs_db_remove, ifs_db_set_expires};

static int mod_init(void)
{
	if(ifs_cfg.header_name.len <= 0) {
		LM_ERR("header_name must not be empty\n");
		return -1;
	}
	if(ifs_cfg.check_interval <= 0) {
		LM_ERR("check_interval must be > 0 seconds\n");
		return -1;
	}
	if(ifs_cfg.db_mode != IFS_DB_NONE && ifs_cfg.db_mode != IFS_DB_WRITETHRU) {
		LM_ERR("db_mode must be 0 (none) or 1 (write-through)\n");
		return -1;
	}
	if(ifs_ul_bind() < 0)
		return -1;
	if(ifs_verify_init() < 0)
		return -1;
	if(ifo_crypto_warmup() != IFO_OK)
		LM_WARN("OpenSSL self-test of AES-256-GCM/HMAC-SHA256 failed\n");
	if(ifs_serve_init() < 0)
		return -1;
	if(ifs_stats_init(IFS_MOD_NAME) != 0) {
		LM_ERR("cannot register statistics\n");
		return -1;
	}
	if(ifs_rpc_init() != 0) {
		LM_ERR("cannot register RPC commands\n");
		return -1;
	}
	if(ifs_store_init((unsigned int)ifs_cfg.hash_size, &db_persist) < 0)
		return -1;
	if(ifs_moves_init() < 0)
		return -1;
	if(ifs_db_init() < 0)
		return -1;
	if(ifs_timer_init() < 0)
		return -1;
	LM_INFO("ready (header %.*s, db_mode %d, table %.*s)\n",
			ifs_cfg.header_name.len, ifs_cfg.header_name.s, ifs_cfg.db_mode,
			ifs_cfg.db_table.len, ifs_cfg.db_table.s);
	return 0;
}

/* start-up load: 50 tries 200 ms apart, 10 s in all */
#define IFS_LOAD_TRIES 50
#define IFS_LOAD_PAUSE_US 200000

static int child_init(int rank)
{
	int i, rc;

	/* PROC_SIPINIT runs once, in the first SIP worker (or in the only
	 * process without fork), after ims_usrloc_scscf's child_init for
	 * the same rank (modules init in load order), which is where usrloc
	 * preloads its contacts from its database (db_mode, MySQL only in
	 * 5.6). The timer waits for this load; records loaded here stay
	 * unconfirmed, and an unconfirmed record whose contact usrloc does not
	 * know is kept until its own expiry instead of being dropped (usrloc
	 * without persistence forgets every contact on restart, while the
	 * UE still holds its SAs and registration). */
	if(rank == PROC_MAIN)
		return ifs_timer_fork();
	if(rank > 0)
		ifs_db_child_init();
	if(rank != PROC_SIPINIT)
		return 0;
	/* Another process may hold the database for a moment as the workers
	 * start (SQLite: "database is locked", a WAL file to recover after a
	 * crash; 5.6's db_sqlite has no busy timeout): try again for a while
	 * rather than start with records missing. */
	for(i = 1; (rc = ifs_db_load()) < 0 && i < IFS_LOAD_TRIES; i++) {
		LM_WARN("start-up load of the records failed (attempt %d of %d): "
				"trying again\n",
				i, IFS_LOAD_TRIES);
		usleep(IFS_LOAD_PAUSE_US);
	}
	if(rc < 0)
		LM_ERR("start-up load failed: records of the database are "
			   "missing from memory\n");
	else if(i > 1)
		LM_INFO("start-up load done at attempt %d\n", i);
	ifs_store_set_ready();
	return 0;
}

static void mod_destroy(void)
{
	ifs_verify_destroy();
	ifs_db_destroy();
	ifs_store_destroy();
	ifs_moves_destroy();
}

struct module_exports exports = {
		IFS_MOD_NAME,	 /* module name */
		DEFAULT_DLFLAGS, /* dlopen flags */
		cmds,			 /* exported functions */
		params,			 /* exported parameters */
		0,				 /* RPC methods (registered in mod_init) */
		0,				 /* pseudo-variables */
		0,				 /* response handling */
		mod_init,		 /* module init */
		child_init,		 /* per-child init */
		mod_destroy		 /* module destroy */
};
