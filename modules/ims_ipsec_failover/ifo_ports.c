/*
 * Protected port ranges of this node (see ifo_ports.h).
 *
 * A peer's UEs arrive with ports the peer allocated. Pool members share
 * one ims_ipsec_pcscf configuration, so those ports are in the ranges this
 * node listens on too; a UE whose ports are not (a member configured
 * differently) is refused rather than recovered unreachable. Ports need
 * no reservation: SAs and policies are per UE address, so a port a
 * recovered UE shares with a UE registered here works for both (Kamailio
 * 6.0's ims_ipsec_pcscf shares ports among UEs by design).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/dprint.h"
#include "core/sr_module.h"

#include "ifo_ports.h"

static int client_port, server_port, max_conn;

static int stock_int(struct sr_module *m, char *name, int *out)
{
	modparam_t t = PARAM_INT;
	int *p = find_param_export(m, name, PARAM_INT, &t);

	if(p == NULL) {
		LM_ERR("ims_ipsec_pcscf exports no parameter %s\n", name);
		return -1;
	}
	*out = *p;
	return 0;
}

int ifo_ports_init(void)
{
	struct sr_module *m = find_module_by_name("ims_ipsec_pcscf");

	if(m == NULL) {
		LM_ERR("ims_ipsec_pcscf is not loaded\n");
		return -1;
	}
	if(stock_int(m, "ipsec_client_port", &client_port) < 0
			|| stock_int(m, "ipsec_server_port", &server_port) < 0
			|| stock_int(m, "ipsec_max_connections", &max_conn) < 0)
		return -1;
	return 0;
}

int ifo_ports_served(uint16_t port_pc, uint16_t port_ps)
{
	return port_pc >= client_port && port_pc - client_port < max_conn
		   && port_ps >= server_port && port_ps - server_port < max_conn;
}
