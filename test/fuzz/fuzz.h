/*
 * fuzz.h - what the libFuzzer targets of test/fuzz share: the fixed test
 * key ring the records are sealed with, a "now" before the seeds'
 * expiry, and a check that stops the run on a broken property.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "ifo_keyring.h"

/* Before the expiry of every sealed seed (fz_expires). */
#define FZ_NOW 1700000000ULL

/* Sealing ring of two keys: "a" (active) and "b". Made once, never freed. */
const ifo_keyring_t *fz_ring(void);

/* The verify-only ring of the same keys, as an S-CSCF holds it. */
const ifo_keyring_t *fz_vring(void);

/* Prints what broke and aborts: libFuzzer keeps the input as a crash. */
void fz_fail(const char *what, const char *file, int line)
		__attribute__((noreturn));

#define FZ_CHECK(c)                          \
	do {                                     \
		if(!(c))                             \
			fz_fail(#c, __FILE__, __LINE__); \
	} while(0)

/* A copy of data[0..size) in a block of exactly size bytes (at least 1),
 * so that the sanitizer sees any read past it; free() it. */
char *fz_dup(const uint8_t *data, size_t size);

#endif
