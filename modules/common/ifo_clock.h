/*
 * Microseconds of a monotonic clock, for the durations both modules
 * report (takeover phases, the S-CSCF's share of fetches and claims):
 * unlike the wall clock it never jumps when NTP steps the time.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_CLOCK_H
#define IFO_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t ifo_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

#endif
