/*
 * Kamailio 6.0's ims_ipsec_pcscf (Debian 13 trixie).
 *
 * Since 5.8 create_ipsec_tunnel() adds, besides the 4 SAs and 4 policies
 * of 5.6, 4 policies for "broken in-dialog routing" (its SAs 5 to 8
 * reuse the SPIs of 1 to 4, so the kernel refuses them and only the
 * policies stay). Since 5.7 the SPI generator is a list of (spi, spi + 1)
 * pairs built at start-up from the range start, each bound to a client
 * and a server port that cycle over ipsec_max_connections: UEs share
 * ports, and a UE's ports follow from its SPI pair.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ifo/ifo_xfrm.h"
#include "ifo_stock.h"

const char ifo_stock_generation[] = "6.0";

unsigned int ifo_stock_xfrm_flags(void)
{
	return IFO_XFRM_DIALOG_POLICIES;
}

unsigned int ifo_stock_spi_step(void)
{
	return 2;
}
