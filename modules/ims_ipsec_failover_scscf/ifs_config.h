/*
 * Module parameters of ims_ipsec_failover_scscf, read in one place (the
 * glue file sets the defaults) and shared by every concern file.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFS_CONFIG_H
#define IFS_CONFIG_H

#include "core/str.h"

#define IFS_DB_NONE 0	   /* memory only: a restart loses every record */
#define IFS_DB_WRITETHRU 1 /* every change is written before it is visible */

typedef struct ifs_config
{
	str header_name;	/* SIP header carrying the sealed record */
	int hash_size;		/* slots of the record table (power of two) */
	int check_interval; /* seconds between two passes of the contact timer */
	str db_url;
	str db_table;
	int db_mode;	   /* IFS_DB_NONE or IFS_DB_WRITETHRU */
	str service_route; /* Service-Route value (name-addrs) served with each
						* record to a P-CSCF taking over; "" = none */
	str verify_key_file; /* verify-only key ring; "" = records unchecked */
} ifs_config_t;

extern ifs_config_t ifs_cfg;

#endif
