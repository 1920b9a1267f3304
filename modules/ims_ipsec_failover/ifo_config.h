/*
 * Module parameters of ims_ipsec_failover, read in one place.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_CONFIG_H
#define IFO_CONFIG_H

#include "core/str.h"

#include "ifo_fetch.h"

#define IFO_MAX_PEERS 8

typedef struct ifo_config
{
	str node_id;		 /* this P-CSCF's id in the pool; required */
	str key_file;		 /* sealing key ring */
	str header_name;	 /* header carrying the sealed record */
	int export_required; /* 1: a failed export fails the cfg function */
	int default_expires; /* registration period when REGISTER names none */
	int record_grace;	 /* seconds a record outlives its registration */
	str domain;			 /* ims_usrloc_pcscf domain (table) name */
	ifo_peer_t scscf[IFO_MAX_SCSCF]; /* where takeovers fetch records */
	int n_scscf;
	int fetch_page_size;  /* records per fetch answer */
	int fetch_timeout;	  /* ms to wait for an S-CSCF */
	int seq_stride;		  /* ESP sequence numbers per owner */
	int recover_on_start; /* take own records back after a restart */
	int recover_interval; /* seconds between restart recovery attempts */
	int moves_interval;	  /* seconds between questions for moved UEs (0: never) */
	str spi_state_file;	  /* the SPI half of the last start (ifo_spi.h) */
	/* nodes taken over when this node gains its listen address (ifo_watch.h) */
	char peers[IFO_MAX_PEERS][IFO_NODE_MAX + 1];
	int n_peers;
} ifo_config_t;

extern ifo_config_t ifo_cfg;

#endif
