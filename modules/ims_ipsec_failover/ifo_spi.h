/*
 * The part of this node's SPI range that ims_ipsec_pcscf allocates from.
 *
 * After a restart the stock SPI generator starts again at the beginning
 * of its range, knowing nothing of the SPIs the UEs recovered here still
 * use, and it has no API to tell it: a new UE could be handed a
 * recovered UE's SPIs, and its SAs would then fail (silently, in stock).
 * So the node's range, ims_ipsec_pcscf's ipsec_spi_id_start/range as
 * configured, is cut in two halves, and each start of this node gives the
 * stock generator the half the previous start did not use (recorded in a
 * small state file). The UEs recovered at start-up keep SPIs of the other
 * half, which this incarnation's generator never hands out.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_SPI_H
#define IFO_SPI_H

#include <stdint.h>

/* mod_init, before ims_ipsec_pcscf's mod_init (this module must be
 * loaded before it): picks this start's half, hands it to
 * ims_ipsec_pcscf through its own two parameters, records it in
 * state_file. 0, or -1 with the reason logged. */
int ifo_spi_init(const char *state_file);

/* 1 if spi lies in the half ims_ipsec_pcscf allocates from in this
 * incarnation: only a UE that registered here since this start can hold
 * such an SPI. */
int ifo_spi_allocatable(uint32_t spi);

/* 1 if spi lies anywhere in this node's configured range. */
int ifo_spi_own(uint32_t spi);

/* For status output: the whole range and the half in use now. */
typedef struct ifo_spi_info
{
	uint32_t start, range;	  /* as configured for ims_ipsec_pcscf */
	uint32_t cur_start, half; /* what it allocates from now */
	int index;				  /* 0 or 1: which half */
} ifo_spi_info_t;
void ifo_spi_get(ifo_spi_info_t *info);

#endif
