/*
 * This process's XFRM netlink handle (see lib/ifo/ifo_xfrm.h): one per
 * process, opened on first use, because Kamailio workers are forked and a
 * socket shared across processes would mix up answers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_NETLINK_H
#define IFO_NETLINK_H

#include "ifo/ifo_xfrm.h"

/* NULL (logged) when the socket cannot be opened. */
ifo_xfrm_t *ifo_xfrm(void);

void ifo_xfrm_release(void);

#endif
