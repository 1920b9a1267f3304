/*
 * Takeover: re-creates, on this P-CSCF, every UE another pool member (or
 * this node before a restart) registered, from the records the S-CSCFs
 * keep: SAs and policies in the kernel, contacts in ims_usrloc_pcscf;
 * then tells the S-CSCFs that this node owns them now.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_TAKEOVER_H
#define IFO_TAKEOVER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ifo/ifo_err.h"
#include "ifo/ifo_keyring.h"
#include "ifo/ifo_page.h"
#include "ifo/ifo_record.h"
#include "ifo/ifo_xfrm.h"

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
	int spi_allocatable; /* SPIs in the half ims_ipsec_pcscf hands out now */
	int ports_unserved;	 /* P-CSCF ports this node does not listen on */
	int install_failed;	 /* other kernel errors */
	int usrloc_failed;
	int claimed;	  /* ownership moved to this node at the S-CSCF */
	int claim_failed; /* recovered, but could not be sealed into the claim */
	int superseded;	  /* the S-CSCF holds a newer record: recovery undone */
	int reclaimed;	  /* served here with the same SAs: numbers jumped */
	int released;	  /* a copy recovered here, of a UE served elsewhere */
	int not_held;	  /* a moves run: the UE's address is not this node's */
	uint64_t usec;
	/* where usec went: waiting for fetch answers, opening records, the
	 * kernel install, rebuilding contacts (and sealing claims), claiming */
	uint64_t usec_fetch, usec_open, usec_kernel, usec_contacts, usec_claim;
	uint64_t faults; /* minor page faults of this process meanwhile */
	/* from the start until the first page's UEs were usable (SAs and
	 * contacts in place; later pages still to come), and the wall clock
	 * of the start, for comparing with when the address moved */
	uint64_t usec_first;
	uint64_t start_unix_ms;
	int pages; /* fetch answers handled so far */
	/* why the takeover failed as a whole (refused, an S-CSCF not asked),
	 * empty otherwise */
	char error[96];
} ifo_report_t;

/*
 * Takes over run->node's UEs, in the takeover process (ifo_worker.c). Refuses
 * this node's own id unless run->restart (the restart recovery of a node
 * that lost its state). One takeover runs at a time on a node: run gets its
 * id and state in shared memory (ifo_shared.h), its progress is updated
 * page by page. Returns 0 when every S-CSCF could be asked (individual UEs
 * may still have failed: see rep), IFO_TAKEOVER_BUSY when another takeover
 * is running (logged, counted, nothing done), -1 otherwise (rep->error).
 */
#define IFO_TAKEOVER_BUSY (-2)
struct ifo_run;
int ifo_takeover(struct ifo_run *run, ifo_report_t *rep);

/* Why a takeover of node would be refused at once (NULL: it would not),
 * for the RPC to answer before queueing it. */
const char *ifo_takeover_refusal(const char *node, int restart);

/* UEs the takeover failed to recover here (kernel, usrloc, collisions,
 * claims). */
int ifo_report_failed(const ifo_report_t *rep);

int ifo_report_failed_open(const ifo_report_t *rep);

/*
 * The steps of recovering one UE, shared by bulk takeover and lazy
 * recovery (ifo_lazy.c) so that both treat records and the kernel alike.
 */

/* A claim line: "<generation> <record>", the generation of the record it
 * was made from (the S-CSCF replaces that one and no other) and the
 * re-sealed record. */
#define IFO_CLAIM_LINE_MAX (IFO_TEXT_MAX + 21)

/* r, recovered here with outbound sequence numbers from oseq, re-sealed as
 * this node's (new generation, one more takeover, oseq as the hint) into
 * out: the text of a claim line. */
int ifo_claim_seal(const ifo_keyring_t *kr, ifo_record_t *r, uint32_t oseq,
		char *out, size_t outsz, size_t *len);

/* The same, claimed at once at the configured S-CSCFs (one connection
 * each): 0 if one accepted it, IFO_CLAIM_SUPERSEDED if one holds a newer
 * record (counted), -1 otherwise (logged). */
#define IFO_CLAIM_SUPERSEDED 1
int ifo_claim_one(const ifo_keyring_t *kr, ifo_record_t *r, uint32_t oseq);

/* First outbound ESP sequence number this node uses for r's SAs. */
uint32_t ifo_start_seq(const ifo_record_t *r);

/* ifo_open() of text bound to contact[0..contact_len) (need not be
 * NUL-terminated) at the current time; a failure is counted in
 * records_unopenable and returned as an ifo_err code, the caller logs. */
int ifo_recovery_open(const ifo_keyring_t *kr, const char *text, size_t len,
		const char *contact, size_t contact_len, ifo_record_t *r);

#define IFO_RECOVER_OK 0
#define IFO_RECOVER_COLLISION 1 /* counted in spi_collisions */
#define IFO_RECOVER_KERNEL 2
#define IFO_RECOVER_USRLOC 3
#define IFO_RECOVER_SPI 4	/* counted in spi_allocatable */
#define IFO_RECOVER_PORTS 5 /* counted in ports_unserved */

/*
 * Before anything is installed for r (not in usrloc here yet): its P-CSCF
 * ports must be ports this node listens on, and its P-CSCF SPIs must not
 * lie in the half of this node's range that ims_ipsec_pcscf allocates from
 * since this start (ifo_spi.h), which would let a new registration be
 * given them. Refusals are counted and logged, prefixed with ctx.
 * Returns IFO_RECOVER_OK, _SPI or _PORTS.
 */
int ifo_recovery_check(const ifo_record_t *r, const char *ctx);

/*
 * ifo_xfrm_install(), and then once more for each record whose objects in
 * the way were all its own leftovers (ifo_xfrm_clear_leftovers(), counted
 * in leftovers_replaced): such a record ends up installed anew, with its
 * new outbound sequence numbers; a true collision stays -EEXIST.
 */
int ifo_recovery_install(ifo_xfrm_t *x, const ifo_record_t *const *recs,
		const uint32_t *oseq, int n, int *err);

/*
 * After ifo_recovery_install() reported err for r: on success rebuilds the
 * usrloc contact with e's registration data until expires (removing the
 * kernel objects again if that fails). Failures are logged, prefixed with
 * ctx. Returns IFO_RECOVER_*.
 */
int ifo_recovery_finish(ifo_xfrm_t *x, ifo_record_t *r, int err,
		const ifo_page_entry_t *e, time_t expires, const char *ctx);

#endif
