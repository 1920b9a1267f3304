/*
 * tu.h - fixtures and helpers shared by the libifo unit test suites
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TU_H
#define TU_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "ifo_keyring.h"
#include "ifo_record.h"

/* A "now" well inside the fixtures' lifetime. */
#define TU_NOW 1700000000ULL

/* Hex keys; KEY_A and KEY_A2 differ so "same id, wrong key" can be tested. */
#define TU_KEY_A \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define TU_KEY_A2 \
	"ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define TU_KEY_B \
	"A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"

Suite *ifo_b64_suite(void);
Suite *ifo_err_suite(void);
Suite *ifo_keyring_suite(void);
Suite *ifo_record_suite(void);
Suite *ifo_seal_suite(void);
Suite *ifo_secagree_suite(void);
Suite *ifo_page_suite(void);
Suite *ifo_proto_suite(void);
Suite *ifo_sql_suite(void);

/* A realistic IPv4 record: every field set, none at its bound. */
void tu_record_v4(ifo_record_t *r);

/* An IPv6 record with every variable field at its bound, every number at
 * its maximum: the longest possible record. */
void tu_record_v6_max(ifo_record_t *r);

/* The shortest record: empty optional fields, IPv4. */
void tu_record_min(ifo_record_t *r);

/* ck_assert every field of a and b equal. */
void tu_assert_record_eq(const ifo_record_t *a, const ifo_record_t *b);

/* Ring from key file text; fails the test if it does not parse. */
ifo_keyring_t *tu_ring(const char *text);

/* Verify-only ring derived from sealing key file text, through its
 * ifo_keyring_verify_text as an admin's S-CSCF would get it. */
ifo_keyring_t *tu_vring(const char *sealing_text);

/* Text form <-> blob, failing the test on error. */
size_t tu_unb64(const char *text, size_t len, uint8_t *blob, size_t blobsz);
size_t tu_b64(const uint8_t *blob, size_t n, char *text, size_t textsz);

/* s filled with n copies of c, NUL-terminated. */
void tu_fill(char *s, char c, size_t n);

#endif /* TU_H */
