/*
 * ims_ipsec_failover: keeps IMS UEs reachable when their P-CSCF fails, by
 * exporting each UE's IPsec SA and registration state, sealed, to the
 * S-CSCF and re-creating it on the pool member that takes over.
 *
 * This file is only glue: parameters, init, exports.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mod_fix.h"
#include "core/kemi.h"

#include "ifo/ifo_record.h"
#include "ifo/ifo_seal.h"
#include "ifo_config.h"
#include "ifo_export.h"
#include "ifo_shared.h"
#include "ifo_sip.h"
#include "ifo_netlink.h"
#include "ifo_keys.h"
#include "ifo_lazy.h"
#include "ifo_ports.h"
#include "ifo_rpc.h"
#include "ifo_stats.h"
#include "ifo_usrloc.h"
#include "ifo_takeover.h"
#include "ifo_watch.h"
#include "ifo_worker.h"
#include "ifo_spi.h"
#include "ifo_destroy.h"
#include "core/pt.h"

MODULE_VERSION

ifo_config_t ifo_cfg = {
		.node_id = STR_NULL,
		.key_file = str_init("/etc/kamailio/ims_ipsec_failover.keys"),
		.header_name = str_init("X-IMS-SA-Record"),
		.export_required = 0,
		.default_expires = 3600,
		.record_grace = 300,
		.domain = str_init("location"),
		.fetch_page_size = 100,
		.fetch_timeout = 5000,
		.seq_stride = 1 << 24,
		.recover_on_start = 1,
		.recover_interval = 5,
		.moves_interval = 5,
		.spi_state_file = STR_NULL,
};

/* Where the SPI half of the last start is kept when spi_state_file is not
 * set: the packages create the directory, owned by kamailio. */
#define IFO_STATE_DIR "/var/lib/kamailio-ims-ipsec-failover"

/* modparam("ims_ipsec_failover", "scscf", "ip:port"), once per S-CSCF */
static int add_scscf(modparam_t type, void *val)
{
	if(ifo_cfg.n_scscf == IFO_MAX_SCSCF) {
		LM_ERR("at most %d scscf entries\n", IFO_MAX_SCSCF);
		return -1;
	}
	if(ifo_peer_parse((char *)val, &ifo_cfg.scscf[ifo_cfg.n_scscf]) < 0) {
		LM_ERR("scscf '%s' is not ip:port or [ipv6]:port (the S-CSCF's "
			   "TCP SIP listener)\n",
				(char *)val);
		return -1;
	}
	ifo_cfg.n_scscf++;
	return 0;
}

/* takeover_peer: node ids, comma-separated, the parameter repeatable */
static int add_peer(modparam_t type, void *val)
{
	char *p = (char *)val, *e;
	size_t n;

	for(; *p; p = *e ? e + 1 : e) {
		e = strchr(p, ',');
		if(e == NULL)
			e = p + strlen(p);
		while(p < e && (*p == ' ' || *p == '\t'))
			p++;
		n = (size_t)(e - p);
		while(n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if(n == 0)
			continue;
		if(!ifo_token_valid(p, n, IFO_NODE_MAX)) {
			LM_ERR("takeover_peer '%.*s' is not a node id (1 to %d "
				   "characters of [A-Za-z0-9._-])\n",
					(int)n, p, IFO_NODE_MAX);
			return -1;
		}
		if(ifo_cfg.n_peers == IFO_MAX_PEERS) {
			LM_ERR("at most %d takeover peers\n", IFO_MAX_PEERS);
			return -1;
		}
		memcpy(ifo_cfg.peers[ifo_cfg.n_peers], p, n);
		ifo_cfg.peers[ifo_cfg.n_peers][n] = '\0';
		ifo_cfg.n_peers++;
	}
	return 0;
}

static int mod_init(void);
static void mod_destroy(void);
static int w_ipsec_failover_export(sip_msg_t *msg, char *p1, char *p2);
static int w_ipsec_failover_strip(sip_msg_t *msg, char *p1, char *p2);
static int w_ipsec_failover_recover(sip_msg_t *msg, char *p1, char *p2);
static int w_ipsec_failover_destroy(sip_msg_t *msg, char *p1, char *p2);

static int ki_ipsec_failover_export(sip_msg_t *msg)
{
	return ifo_export_register(msg);
}

/* Only the P-CSCF may put this header on a REGISTER: one arriving from a UE
 * is removed whatever it holds. */
static int ki_ipsec_failover_strip(sip_msg_t *msg)
{
	int n = ifo_sip_strip(msg, &ifo_cfg.header_name);

	if(n <= 0)
		return -1;
	update_stat(ifo_st_stripped, n);
	LM_NOTICE("removed %d %.*s header(s) a client sent from %s:%d\n", n,
			ifo_cfg.header_name.len, ifo_cfg.header_name.s,
			ip_addr2a(&msg->rcv.src_ip), msg->rcv.src_port);
	return 1;
}

static int ki_ipsec_failover_recover(sip_msg_t *msg)
{
	return ifo_lazy_recover(msg);
}

static int ki_ipsec_failover_destroy(sip_msg_t *msg)
{
	return ifo_destroy_reply(msg);
}

static int w_ipsec_failover_destroy(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_destroy(msg);
}

static int w_ipsec_failover_export(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_export(msg);
}

static int w_ipsec_failover_strip(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_strip(msg);
}

static int w_ipsec_failover_recover(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_ipsec_failover_recover(msg);
}

/* The state file: spi_state_file, or one per node in IFO_STATE_DIR. */
static int ifo_spi_init_param(void)
{
	char path[512];

	if(ifo_cfg.spi_state_file.len > 0)
		snprintf(path, sizeof(path), "%.*s", ifo_cfg.spi_state_file.len,
				ifo_cfg.spi_state_file.s);
	else
		snprintf(path, sizeof(path), IFO_STATE_DIR "/%.*s.spi",
				ifo_cfg.node_id.len, ifo_cfg.node_id.s);
	return ifo_spi_init(path);
}

static int mod_init(void)
{
	int rc, i;

	if(ifo_cfg.node_id.s == NULL || ifo_cfg.node_id.len == 0) {
		LM_ERR("modparam(\"ims_ipsec_failover\", \"node_id\", ...) is "
			   "required: each P-CSCF of the pool needs its own id\n");
		return -1;
	}
	/* it goes into records and into the S-CSCF requests' SIP headers */
	if(!ifo_token_valid(ifo_cfg.node_id.s, ifo_cfg.node_id.len, IFO_NODE_MAX)) {
		LM_ERR("node_id '%.*s' is invalid: 1 to %d characters of "
			   "[A-Za-z0-9._-]\n",
				ifo_cfg.node_id.len, ifo_cfg.node_id.s, IFO_NODE_MAX);
		return -1;
	}
	if(ifo_cfg.header_name.len <= 0) {
		LM_ERR("header_name must not be empty\n");
		return -1;
	}
	if(ifo_stats_init("ims_ipsec_failover") != 0) {
		LM_ERR("failed to register statistics\n");
		return -1;
	}
	if(ifo_rpc_init() != 0) {
		LM_ERR("failed to register RPC commands\n");
		return -1;
	}
	/* a count only: the bytes of an answer are bounded apart from it (see
	 * BODY_MAX in ifo_fetch.c) */
	if(ifo_cfg.fetch_page_size < 1
			|| ifo_cfg.fetch_page_size > IFO_FETCH_MAX_PAGE) {
		LM_ERR("fetch_page_size must be 1..%d\n", IFO_FETCH_MAX_PAGE);
		return -1;
	}
	/* PARAM_INT is a signed int: -1 or 0xffffffff must not pass as a
	 * huge stride */
	if(ifo_cfg.seq_stride < 1024) {
		LM_ERR("seq_stride must be at least 1024\n");
		return -1;
	}
	if(ifo_shared_init() != 0 || ifo_spi_init_param() != 0
			|| ifo_ports_init() != 0)
		return -1;
	if(ifo_usrloc_init(ifo_cfg.domain.s) != 0 || ifo_destroy_init() != 0)
		return -1;
	if(ifo_crypto_warmup() != IFO_OK)
		LM_WARN("OpenSSL self-test of AES-256-GCM/HMAC-SHA256 failed\n");
	rc = ifo_keys_init(ifo_cfg.key_file.s, 0);
	if(rc < 0)
		return -1;
	if(rc > 0)
		LM_WARN("no sealing keys: %s: %s - registrations go on, but no "
				"SA record is exported until the key file is fixed and "
				"ims_ipsec_failover.reload_keys is called\n",
				ifo_cfg.key_file.s, ifo_keys_error());
	if(ifo_cfg.moves_interval < 0) {
		LM_ERR("moves_interval must be 0 (off) or a number of seconds\n");
		return -1;
	}
	if(ifo_cfg.recover_interval < 1) {
		LM_ERR("recover_interval must be at least 1 second\n");
		return -1;
	}
	/* what the takeover would refuse (the node's own id, no scscf) is
	 * refused here, at start-up, rather than at the first address gain */
	for(i = 0; i < ifo_cfg.n_peers; i++) {
		const char *why = ifo_takeover_refusal(ifo_cfg.peers[i], 0);

		if(why) {
			LM_ERR("takeover_peer %s: %s\n", ifo_cfg.peers[i], why);
			return -1;
		}
	}
	if(ifo_watch_init() != 0)
		return -1;
	if(ifo_worker_init() != 0)
		return -1;
	LM_INFO("node '%.*s' ready (header %.*s)\n", ifo_cfg.node_id.len,
			ifo_cfg.node_id.s, ifo_cfg.header_name.len, ifo_cfg.header_name.s);
	return 0;
}

static int child_init(int rank)
{
	if(rank == PROC_MAIN)
		return ifo_worker_fork();
	return 0;
}

static void mod_destroy(void)
{
	ifo_xfrm_release();
	ifo_keys_destroy();
}

static cmd_export_t cmds[] = {
		{"ipsec_failover_export", (cmd_function)w_ipsec_failover_export, 0, 0,
				0, REQUEST_ROUTE},
		{"ipsec_failover_strip", (cmd_function)w_ipsec_failover_strip, 0, 0, 0,
				REQUEST_ROUTE},
		{"ipsec_failover_recover", (cmd_function)w_ipsec_failover_recover, 0, 0,
				0, REQUEST_ROUTE},
		{"ipsec_failover_destroy", (cmd_function)w_ipsec_failover_destroy, 0, 0,
				0, ONREPLY_ROUTE},
		{0, 0, 0, 0, 0, 0}};

static param_export_t params[] = {{"node_id", PARAM_STR, &ifo_cfg.node_id},
		{"key_file", PARAM_STR, &ifo_cfg.key_file},
		{"header_name", PARAM_STR, &ifo_cfg.header_name},
		{"export_required", PARAM_INT, &ifo_cfg.export_required},
		{"default_expires", PARAM_INT, &ifo_cfg.default_expires},
		{"record_grace", PARAM_INT, &ifo_cfg.record_grace},
		{"domain", PARAM_STR, &ifo_cfg.domain},
		{"scscf", PARAM_STRING | PARAM_USE_FUNC, (void *)add_scscf},
		{"fetch_page_size", PARAM_INT, &ifo_cfg.fetch_page_size},
		{"fetch_timeout", PARAM_INT, &ifo_cfg.fetch_timeout},
		{"seq_stride", PARAM_INT, &ifo_cfg.seq_stride},
		{"recover_on_start", PARAM_INT, &ifo_cfg.recover_on_start},
		{"recover_interval", PARAM_INT, &ifo_cfg.recover_interval},
		{"moves_interval", PARAM_INT, &ifo_cfg.moves_interval},
		{"spi_state_file", PARAM_STR, &ifo_cfg.spi_state_file},
		{"takeover_peer", PARAM_STRING | PARAM_USE_FUNC, (void *)add_peer},
		{0, 0, 0}};

struct module_exports exports = {
		"ims_ipsec_failover", /* module name */
		DEFAULT_DLFLAGS,	  /* dlopen flags */
		cmds,				  /* exported functions */
		params,				  /* exported parameters */
		0,					  /* RPC methods (registered in mod_init) */
		0,					  /* pseudo-variables */
		0,					  /* response handling */
		mod_init,			  /* module init */
		child_init,			  /* per-child init */
		mod_destroy			  /* module destroy */
};

/* clang-format off */
static sr_kemi_t ifo_kemi_exports[] = {
	{ str_init("ims_ipsec_failover"), str_init("ipsec_failover_export"),
		SR_KEMIP_INT, ki_ipsec_failover_export,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("ims_ipsec_failover"), str_init("ipsec_failover_strip"),
		SR_KEMIP_INT, ki_ipsec_failover_strip,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("ims_ipsec_failover"), str_init("ipsec_failover_recover"),
		SR_KEMIP_INT, ki_ipsec_failover_recover,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("ims_ipsec_failover"), str_init("ipsec_failover_destroy"),
		SR_KEMIP_INT, ki_ipsec_failover_destroy,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(ifo_kemi_exports);
	return 0;
}
