/*
 * Microseconds of a monotonic clock, for the durations both modules
 * report (takeover phases, the S-CSCF's share of fetches and claims):
 * unlike the wall clock it never jumps when NTP steps the time.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef IFO_CLOCK_H
#define IFO_CLOCK_H

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

static inline uint64_t ifo_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The wall clock in ms, only to line a moment up with other programs'
 * logs (when keepalived moved the address, say), never for durations. */
static inline uint64_t ifo_unix_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Wall-clock microseconds: stamps that must keep growing across a
 * restart (the S-CSCF's moves), never durations. */
static inline uint64_t ifo_unix_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/*
 * Minor page faults of this process so far. A process's first touch of
 * memory after fork (shared memory, copy-on-write pages, code) faults:
 * microseconds on a host (10 on the virtual machine this project is built
 * on), a few hundred in a user-mode-linux guest.
 * The reports count them, so that a slow first run can be told from slow
 * code.
 */
static inline uint64_t ifo_minor_faults(void)
{
	struct rusage ru;

	if(getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (uint64_t)ru.ru_minflt;
}

#endif
