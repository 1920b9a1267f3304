/*
 * Export: seals a UE's SA and registration state into the REGISTER that
 * the P-CSCF forwards to the S-CSCF.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_EXPORT_H
#define IFO_EXPORT_H

#include "core/parser/msg_parser.h"

/* Return codes of ifo_export_register() (and the cfg function). */
#define IFO_EXPORTED 1		   /* header added */
#define IFO_EXPORT_SKIPPED 2   /* not a protected (re-)REGISTER */
#define IFO_EXPORT_FAILED_OK 3 /* failed, counted; registration goes on */
#define IFO_EXPORT_FAILED (-1) /* failed and export_required is set */

int ifo_export_register(sip_msg_t *msg);

#endif
