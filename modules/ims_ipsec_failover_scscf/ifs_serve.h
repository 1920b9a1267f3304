/*
 * The S-CSCF end of the takeover protocol (the P-CSCF end is
 * ims_ipsec_failover's ifo_fetch): a P-CSCF taking over a failed peer
 * pages through the records the peer sealed, then hands the records it
 * re-sealed back as its own. Both are OPTIONS requests answered here:
 *
 *   X-IMS-SA-Fetch: node=X;cursor=C;max=M
 *     -> 200, "X-IMS-SA-Next: C'" (0: walk complete), body of
 *        lib/ifo/ifo_page.h lines: the records of origin node X whose
 *        contact usrloc holds as valid, with what the S-CSCF knows of the
 *        registration (contact expiry, Path, Service-Route, identities)
 *   X-IMS-SA-Claim: node=Y, body: "<fetched generation> <record>" per line
 *     -> 200, "X-IMS-SA-Accepted: n", "X-IMS-SA-Superseded: s", body of
 *        one letter per line (A accepted, S superseded, R refused)
 *   malformed -> 400 (reason in the status line)
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_SERVE_H
#define IFS_SERVE_H

#include "core/parser/msg_parser.h"

/* Return codes of ifs_serve (and of ipsec_failover_serve) */
#define IFS_SERVE_ANSWERED 1 /* answered 200 */
#define IFS_SERVE_FAILED -1	 /* answered 4xx/5xx, or the reply failed */
#define IFS_SERVE_NOTMINE -2 /* neither header: nothing sent */

#define IFS_SERVE_MAX_PAGE 200		   /* largest max= a fetch may ask */
#define IFS_SERVE_BODY_MAX (60 * 1024) /* largest fetch answer body */

/*
 * Bind the APIs used to answer (sl, ims_usrloc_scscf) and parse the
 * service_route parameter. In mod_init, after ifs_ul_bind. 0 or -1.
 */
int ifs_serve_init(void);

/*
 * Answer a fetch or claim OPTIONS (statelessly, through sl). Anything
 * else, or an OPTIONS carrying neither header, gets IFS_SERVE_NOTMINE and
 * no reply, so the script can go on with it.
 */
int ifs_serve(sip_msg_t *msg);

#endif
