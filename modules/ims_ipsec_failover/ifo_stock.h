/*
 * The stock ims_ipsec_pcscf of the Kamailio generation this module is
 * built for: what it does that a recovery must do the same way. One
 * implementation per generation, kamailio-X.Y/ifo_stock.c, which
 * mk/module.mk compiles for Kamailio X.Y; nothing else in the module
 * depends on the generation.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_STOCK_H
#define IFO_STOCK_H

/* "5.6" or "6.0", for log lines and RPC output. */
extern const char ifo_stock_generation[];

/* IFO_XFRM_* flags for the module's XFRM handles: the kernel objects
 * ims_ipsec_pcscf makes per UE. */
unsigned int ifo_stock_xfrm_flags(void);

/* How many SPIs ims_ipsec_pcscf allocates at a time from the start of
 * its range: 1 (5.6, one SPI after the other) or 2 (6.0, (spi, spi + 1)
 * pairs). A part of the range (ifo_spi.c) must start on such a step. */
unsigned int ifo_stock_spi_step(void);

#endif
