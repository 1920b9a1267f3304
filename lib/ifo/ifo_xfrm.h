/*
 * ifo_xfrm.h - XFRM netlink for IMS IPsec SAs as ims_ipsec_pcscf sets
 * them up: read one SA back, install the 4 SAs + 4 policies of many UEs
 * in batches with every message acknowledged, remove a UE's objects.
 *
 * No logging here: every failure is returned (negative errno) so callers
 * can count and report it per UE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_XFRM_H
#define IFO_XFRM_H

#include <stdint.h>

#include "ifo_record.h"

/* The selector tag ims_ipsec_pcscf puts on every SA and policy it owns
 * (its xfrm_user_selector); its ipsec_cleanall() deletes by it. */
#define IFO_XFRM_USER_SELECTOR 143956232u
/* Policy priority and SA replay window ims_ipsec_pcscf uses. */
#define IFO_XFRM_POLICY_PRIORITY 2080u
#define IFO_XFRM_REPLAY_WINDOW 32u

#define IFO_XFRM_ALGNAME_MAX 64
#define IFO_XFRM_KEY_MAX 64

typedef struct ifo_xfrm ifo_xfrm_t;

typedef struct ifo_xfrm_sa
{
	uint32_t spi;
	uint32_t reqid;
	uint32_t sel_user; /* host order */
	uint8_t mode;	   /* XFRM_MODE_* */
	uint8_t replay_window;
	char auth_name[IFO_XFRM_ALGNAME_MAX];
	uint8_t auth_key[IFO_XFRM_KEY_MAX];
	uint16_t auth_key_len; /* bytes */
	char enc_name[IFO_XFRM_ALGNAME_MAX];
	uint8_t enc_key[IFO_XFRM_KEY_MAX];
	uint16_t enc_key_len; /* bytes */
	uint32_t oseq;		  /* outbound sequence number reached */
} ifo_xfrm_sa_t;

/* What names a UE's kernel objects (no keys): enough to remove them. */
typedef struct ifo_xfrm_ids
{
	ifo_addr_t ue, pcscf;
	uint32_t spi_uc, spi_us, spi_pc, spi_ps;
	uint16_t port_uc, port_us, port_pc, port_ps;
} ifo_xfrm_ids_t;

void ifo_xfrm_ids_of(const ifo_record_t *r, ifo_xfrm_ids_t *ids);

/* Opens a socket in the caller's network namespace; NULL with errno. */
ifo_xfrm_t *ifo_xfrm_open(void);

/* ims_ipsec_pcscf 5.8 and later also adds, per UE, 4 policies for "broken
 * in-dialog routing" (each of its 4 flows with the P-CSCF's other port):
 * with this flag install and remove handle them too, so a recovered UE
 * has exactly what a UE registered here has. */
#define IFO_XFRM_DIALOG_POLICIES 0x1u
void ifo_xfrm_set_flags(ifo_xfrm_t *x, unsigned int flags);
/* Receive buffer for the kernel's answers (default 4 MiB): a small one
 * makes a send that fails often lose answers, which the tests use. */
int ifo_xfrm_set_rcvbuf(ifo_xfrm_t *x, int bytes);
void ifo_xfrm_close(ifo_xfrm_t *x);

/* Looks up the ESP SA (src, dst, spi). 0 found, 1 absent, -errno. The
 * caller must cleanse *out (it holds keys). */
int ifo_xfrm_get_sa(ifo_xfrm_t *x, const ifo_addr_t *src,
		const ifo_addr_t *dst, uint32_t spi, ifo_xfrm_sa_t *out);

/*
 * Installs, for each record, the 4 SAs and 4 policies (8 with
 * IFO_XFRM_DIALOG_POLICIES) ims_ipsec_pcscf would have made for it (same selectors, SPIs, reqids, algorithms, keys,
 * selector tag), the two outbound SAs starting at sequence number
 * oseq[i]. Messages go out many per send, each with NLM_F_EXCL (an
 * existing SA or policy is reported, never replaced); the kernel answers
 * every failure and the last message of a send, so one read usually
 * takes a whole send's answers. err[i] gets 0 or the first -errno for
 * record i; a record that failed has whatever this call added for it
 * removed again. When a send's answers are lost (send or read failed,
 * e.g. ENOBUFS), every record of that send fails with that error and the
 * kernel is asked what is there: the SAs with the record's keys and the
 * policies naming its SPIs go, anything else stays; later sends go on.
 * Records need ipsec.alg/ealg as kernel algorithm names and ik/ck as the
 * kernel keys (as ifo_xfrm_get_sa() reads them). Returns how many records
 * were fully installed, or -errno when none was and a send failed.
 */
int ifo_xfrm_install(ifo_xfrm_t *x, const ifo_record_t *const *recs,
		const uint32_t *oseq, int n, int *err);

/* Removes a record's 4 SAs and 4 (or 8) policies (missing ones are ignored).
 * Returns how many objects were removed, or -errno. */
int ifo_xfrm_remove(ifo_xfrm_t *x, const ifo_record_t *r);
/* The same for the objects ids names; a policy whose template names
 * another SA set's SPI (adopted by it, see below) is left alone. */
int ifo_xfrm_remove_ids(ifo_xfrm_t *x, const ifo_xfrm_ids_t *ids);

/*
 * Makes the 4 (or 8) policies of the SA set ids name its SPIs, creating or
 * replacing them (XFRM_MSG_UPDPOLICY). A UE's new SA set shares selectors
 * with its previous one when the new P-CSCF ports equal the old ones
 * (ims_ipsec_pcscf 6.0 cycles ports over ipsec_max_connections); the
 * stock module's NEWPOLICY for them then fails, unnoticed, and the old
 * templates stay. 0 or the first -errno.
 */
int ifo_xfrm_adopt_policies(ifo_xfrm_t *x, const ifo_xfrm_ids_t *ids);

/*
 * Moves the outbound sequence numbers of r's two outbound SAs up to oseq
 * (XFRM_MSG_NEWAE), in place: a peer that sent on copies of these SAs
 * has moved the UE's replay window past what this node would send next.
 * An SA already at or past oseq is left alone. 0; -ENOENT when one of
 * them is missing or is not r's (other keys); -errno when the kernel
 * refused.
 */
int ifo_xfrm_raise_oseq(ifo_xfrm_t *x, const ifo_record_t *r, uint32_t oseq);

/*
 * After ifo_xfrm_install() reported -EEXIST for r: are the objects in the
 * way r's own, left behind by an earlier owner of the same registration
 * (this node before a crash, whose start-up flush stopped short)? An SA
 * is r's if it carries r's keys under ims_ipsec_pcscf's selector tag (CK
 * and IK are per registration), a policy if its template names r's SPI.
 * Returns 1 when every object of r's that exists is r's own, and then
 * removes them, so that r can be installed again; 0 when one belongs to
 * someone else (nothing is touched); -errno when a lookup failed.
 */
int ifo_xfrm_clear_leftovers(ifo_xfrm_t *x, const ifo_record_t *r);

#endif
