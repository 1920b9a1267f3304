/*
 * Builds the Kamailio-side code shared by both failover modules into this
 * module (with this module's MOD_NAME in its log lines).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "../common/ifo_sip.c"
#include "../common/ifo_keys.c"
