/*
 * Kamailio 5.6's ims_ipsec_pcscf (Debian 12 bookworm).
 *
 * create_ipsec_tunnel() makes 4 SAs and 4 policies per UE; the SPI
 * generator hands out single SPIs from a cursor over [start, start +
 * range) (spi_gen.c), the ports come from pools of their own
 * (port_gen.c), one pair per UE.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ifo/ifo_xfrm.h"
#include "ifo_stock.h"

const char ifo_stock_generation[] = "5.6";

unsigned int ifo_stock_xfrm_flags(void)
{
	return 0;
}

unsigned int ifo_stock_spi_step(void)
{
	return 1;
}
