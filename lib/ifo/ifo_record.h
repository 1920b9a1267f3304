/*
 * ifo_record.h - the SA record of one UE and its binary codec
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IFO_RECORD_H
#define IFO_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define IFO_VERSION 1

/*
 * Field bounds. They are part of the wire format: every length prefix is one
 * byte, and IFO_TEXT_MAX (ifo_seal.h) is computed from them.
 */
#define IFO_NODE_MAX 32	 /* origin node id, [A-Za-z0-9._-]+ */
#define IFO_URI_MAX 255	 /* contact URI, AOR */
#define IFO_HOST_MAX 64	 /* received/via host text */
#define IFO_ALG_MAX 32	 /* ealg, r_ealg, alg, r_alg */
#define IFO_SHORT_MAX 16 /* prot ("esp"), mod ("trans"/"tun") */
/* CK, IK: opaque bytes as ims_usrloc_pcscf stores them (today 32 hex chars) */
#define IFO_KEY_MAX 64
#define IFO_KEYID_MAX 16 /* key id, [A-Za-z0-9._-]+ */
#define IFO_NONCE_LEN 12 /* AES-GCM nonce */

/* family is AF_INET or AF_INET6; an IPv4 address uses a[0..3] */
typedef struct ifo_addr
{
	uint8_t family;
	uint8_t a[16];
} ifo_addr_t;

/* Mirror of ims_usrloc_pcscf's ipsec_t. */
typedef struct ifo_ipsec
{
	uint32_t spi_uc, spi_us, spi_pc, spi_ps;
	uint16_t port_uc, port_us, port_pc, port_ps;
	char ealg[IFO_ALG_MAX + 1];
	char r_ealg[IFO_ALG_MAX + 1];
	char alg[IFO_ALG_MAX + 1];
	char r_alg[IFO_ALG_MAX + 1];
	uint8_t ck[IFO_KEY_MAX];
	uint16_t ck_len;
	uint8_t ik[IFO_KEY_MAX];
	uint16_t ik_len;
	char prot[IFO_SHORT_MAX + 1];
	char mod[IFO_SHORT_MAX + 1];
} ifo_ipsec_t;

/*
 * Everything a peer P-CSCF needs to rebuild one UE's IPsec SAs and its
 * P-CSCF usrloc contact. Text fields are NUL-terminated C strings; URI,
 * host, algorithm and mode fields hold printable ASCII without spaces
 * (0x21-0x7e), contact and node must not be empty, the others may.
 * ck/ik hold opaque bytes, their *_len counts them.
 */
typedef struct ifo_record
{
	uint8_t version;			   /* IFO_VERSION */
	char node[IFO_NODE_MAX + 1];   /* origin P-CSCF node id */
	uint64_t generation;		   /* anti-rollback: bigger = newer */
	uint64_t expires;			   /* absolute unix time, seconds */
	uint32_t takeovers;			   /* times a peer took this UE over */
	uint64_t seq_hint;			   /* ESP outbound sequence hint */
	char contact[IFO_URI_MAX + 1]; /* UE contact: binds record to the UE */
	char aor[IFO_URI_MAX + 1];
	char received_host[IFO_HOST_MAX + 1];
	uint16_t received_port;
	uint8_t received_proto;
	char via_host[IFO_HOST_MAX + 1];
	uint16_t via_port;
	uint8_t via_proto;
	ifo_addr_t ue_addr;	   /* UE IP the SAs are bound to */
	ifo_addr_t pcscf_addr; /* P-CSCF IP (the shared virtual IP) */
	uint16_t pcscf_port;   /* P-CSCF port the UE registered to */
	ifo_ipsec_t ipsec;
} ifo_record_t;

/*
 * The clear header of a sealed record: readable without a key (the S-CSCF
 * indexes and orders records by it) but authenticated as GCM associated data.
 */
typedef struct ifo_header
{
	uint8_t version;
	char keyid[IFO_KEYID_MAX + 1];
	uint8_t nonce[IFO_NONCE_LEN];
	char node[IFO_NODE_MAX + 1];
	char contact[IFO_URI_MAX + 1];
	uint64_t generation;
	uint64_t expires;
} ifo_header_t;

/*
 * Wire layout, big-endian, no padding; "str" is a one-byte length then the
 * bytes; "addr" is a wire family byte (4 or 6, not the host's AF_* value,
 * which differs between systems) then 4 or 16 address bytes.
 *
 * header: version(1) keyid(str) nonce(12) node(str) contact(str)
 *         generation(8) expires(8)
 * body:   takeovers(4) seq_hint(8) aor(str) received_host(str)
 *         received_port(2) received_proto(1) via_host(str) via_port(2)
 *         via_proto(1) ue_addr(addr) pcscf_addr(addr) pcscf_port(2)
 *         spi_uc spi_us spi_pc spi_ps(4 each) port_uc port_us port_pc
 *         port_ps(2 each) ealg r_ealg alg r_alg ck ik prot mod(str each)
 *
 * The body carries every field that is not in the header; it is what gets
 * encrypted. The version is only in the header, which the seal
 * authenticates together with the body.
 */
#define IFO_STR_WIRE(max) (1 + (max))
#define IFO_HEADER_MAX                               \
	(1 + IFO_STR_WIRE(IFO_KEYID_MAX) + IFO_NONCE_LEN \
			+ IFO_STR_WIRE(IFO_NODE_MAX) + IFO_STR_WIRE(IFO_URI_MAX) + 8 + 8)
#define IFO_HEADER_MIN                                                       \
	(1 + IFO_STR_WIRE(1) + IFO_NONCE_LEN + IFO_STR_WIRE(1) + IFO_STR_WIRE(1) \
			+ 8 + 8)
/* takeovers, seq_hint, 3 ports + 2 protos, 4 SPIs, 4 SA ports */
#define IFO_BODY_FIXED (4 + 8 + 3 * 2 + 2 * 1 + 4 * 4 + 4 * 2)
#define IFO_BODY_MAX                                                        \
	(IFO_BODY_FIXED + IFO_STR_WIRE(IFO_URI_MAX)                             \
			+ 2 * IFO_STR_WIRE(IFO_HOST_MAX) + 2 * (1 + 16)                 \
			+ 4 * IFO_STR_WIRE(IFO_ALG_MAX) + 2 * IFO_STR_WIRE(IFO_KEY_MAX) \
			+ 2 * IFO_STR_WIRE(IFO_SHORT_MAX))
#define IFO_BODY_MIN (IFO_BODY_FIXED + 11 * IFO_STR_WIRE(0) + 2 * (1 + 4))

/* Zero *r (cleansing any keys) and set version = IFO_VERSION. */
void ifo_record_init(ifo_record_t *r);

/* Cleanse *r, including CK/IK; use before freeing or reusing a record. */
void ifo_record_clear(ifo_record_t *r);

/*
 * Check that r can be encoded and would be accepted by the decoder:
 * IFO_ERR_VERSION for a version other than IFO_VERSION, IFO_ERR_TOOLONG
 * for a field over its bound (text not NUL-terminated within its array,
 * ck_len/ik_len > IFO_KEY_MAX), IFO_ERR_FORMAT for a bad charset, an empty
 * node or contact, an address family other than AF_INET/AF_INET6, or
 * ue_addr and pcscf_addr of different families.
 */
int ifo_record_validate(const ifo_record_t *r);

/* 1 if s[0..n) is 1..max characters of [A-Za-z0-9._-], else 0. */
int ifo_token_valid(const char *s, size_t n, size_t max);

/*
 * Encode the header; needs up to IFO_HEADER_MAX bytes. Fields are checked
 * as in ifo_record_validate (version, keyid and node charset, contact).
 */
int ifo_header_encode(
		const ifo_header_t *h, uint8_t *buf, size_t bufsz, size_t *len);

/*
 * Decode a header from the start of buf. The version byte is checked first,
 * before any other structure: an unknown version gives IFO_ERR_VERSION
 * whatever follows, since a later version may lay out everything after that
 * byte differently. Then IFO_ERR_TRUNCATED if buf ends early and
 * IFO_ERR_FORMAT for a length over its bound or a bad charset.
 * With used != NULL, *used gets the header length and more bytes may follow
 * in buf; with used == NULL, bytes after the header give IFO_ERR_TRAILING.
 * On error *h is zeroed.
 */
int ifo_header_decode(
		const uint8_t *buf, size_t len, ifo_header_t *h, size_t *used);

/*
 * Encode the body (the fields not in the header) of a record that passes
 * ifo_record_validate; needs up to IFO_BODY_MAX bytes. The output holds
 * CK/IK: cleanse it after use.
 */
int ifo_body_encode(
		const ifo_record_t *r, uint8_t *buf, size_t bufsz, size_t *len);

/*
 * Decode a body into the body fields of *r; the header fields of *r (version,
 * node, contact, generation, expires) are left alone. IFO_ERR_TRUNCATED,
 * IFO_ERR_TRAILING, or IFO_ERR_FORMAT for a length over its bound, a bad
 * charset, an unknown address family or families that differ. On error the
 * body fields of *r are cleansed.
 */
int ifo_body_decode(const uint8_t *buf, size_t len, ifo_record_t *r);

#endif /* IFO_RECORD_H */
