/*
 * Takeover: re-creates, on this P-CSCF, every UE another pool member (or
 * this node before a restart) registered, from the records the S-CSCFs
 * keep: SAs and policies in the kernel, contacts in ims_usrloc_pcscf;
 * then tells the S-CSCFs that this node owns them now.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_TAKEOVER_H
#define IFO_TAKEOVER_H

#include <stdint.h>

#include "ifo/ifo_err.h"
#include "ifo/ifo_record.h"

/* Outcome counters of one takeover; "opened" per ifo_err code. */
typedef struct ifo_report
{
	char node[IFO_NODE_MAX + 1];
	int peers, peers_failed;
	int fetched;		 /* records the S-CSCFs returned */
	int recovered;		 /* SAs + contact re-created */
	int known;			 /* already present here: skipped (idempotent) */
	int wrong_node;		 /* record names another origin: skipped */
	int open_failed[16]; /* by -ifo_err code */
	int collisions;		 /* an SA or policy already existed: not touched */
	int install_failed;	 /* other kernel errors */
	int usrloc_failed;
	int claimed;	  /* ownership moved to this node at the S-CSCF */
	int claim_failed; /* recovered, but could not be sealed into the claim */
	uint64_t usec;
} ifo_report_t;

/*
 * Takes over node's UEs. Refuses this node's own id unless `restart` (the
 * restart recovery of a node that lost its state). Returns 0 when every
 * S-CSCF could be asked (individual UEs may still have failed: see rep),
 * -1 otherwise (reason logged).
 */
int ifo_takeover(const char *node, int restart, ifo_report_t *rep);

int ifo_report_failed_open(const ifo_report_t *rep);

#endif
