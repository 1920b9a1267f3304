/*
 * This process's XFRM netlink handle.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>

#include "core/dprint.h"

#include "ifo_stock.h"
#include "ifo_netlink.h"

static ifo_xfrm_t *handle;

ifo_xfrm_t *ifo_xfrm(void)
{
	if(handle == NULL) {
		handle = ifo_xfrm_open();
		if(handle == NULL)
			LM_ERR("cannot open an XFRM netlink socket: %s\n", strerror(errno));
		else
			ifo_xfrm_set_flags(handle, ifo_stock_xfrm_flags());
	}
	return handle;
}

void ifo_xfrm_release(void)
{
	ifo_xfrm_close(handle);
	handle = NULL;
}
