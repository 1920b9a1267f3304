/*
 * ifo_keyring.c - key ring parsing and lookup
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ifo_err.h"
#include "ifo_keyring_priv.h"

/* A real key file is a few lines; anything bigger is a wrong path. */
#define KEYFILE_MAX 65536

/* keyid, key, flag, and one more to detect an extra field */
#define LINE_FIELDS 4

/* Part of the format: changing it changes every verify key. */
#define VERIFY_LABEL "ims_ipsec_failover verify key"

struct field
{
	const char *s;
	size_t n;
};

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if(!errbuf || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

static int hex_value(unsigned char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Fields are split on blanks; a field starting with '#' ends the line. */
static int split_fields(const char *line, size_t n, struct field *f)
{
	size_t i = 0, start;
	int nf = 0;

	while(i < n) {
		while(i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if(i == n || line[i] == '#')
			break;
		start = i;
		while(i < n && line[i] != ' ' && line[i] != '\t')
			i++;
		if(nf < LINE_FIELDS) {
			f[nf].s = line + start;
			f[nf].n = i - start;
		}
		nf++;
	}
	return nf;
}

static int flag_is(const struct field *f, const char *flag)
{
	return f->n == strlen(flag) && memcmp(f->s, flag, f->n) == 0;
}

/*
 * Each kind of file must carry its own flags, so that a sealing file given
 * where a verify file belongs (or the reverse) is refused, not misused.
 */
static int check_flag(const ifo_keyring_t *kr, const struct field *f, int nf,
		unsigned long lineno, char *errbuf, size_t errlen)
{
	if(kr->verify_only) {
		if(nf == 3 && flag_is(&f[2], "verify"))
			return IFO_OK;
		set_err(errbuf, errlen,
				"line %lu: not a verify key (no 'verify' flag): an S-CSCF "
				"takes the output of 'ipsec-failover-keys verify'",
				lineno);
		return IFO_ERR_FORMAT;
	}
	if(nf == 2)
		return IFO_OK;
	if(flag_is(&f[2], "verify")) {
		set_err(errbuf, errlen,
				"line %lu: a verify-only key (S-CSCF file): a P-CSCF needs "
				"the sealing key file",
				lineno);
		return IFO_ERR_FORMAT;
	}
	if(!flag_is(&f[2], "active")) {
		set_err(errbuf, errlen, "line %lu: unknown flag, expected 'active'",
				lineno);
		return IFO_ERR_FORMAT;
	}
	if(kr->active >= 0) {
		set_err(errbuf, errlen, "line %lu: more than one key marked active",
				lineno);
		return IFO_ERR_FORMAT;
	}
	return IFO_OK;
}

static int derive_vkey(struct ifo_key *k)
{
	unsigned int n = 0;

	if(!HMAC(EVP_sha256(), k->key, IFO_RING_KEY_LEN,
			   (const unsigned char *)VERIFY_LABEL, strlen(VERIFY_LABEL),
			   k->vkey, &n)
			|| n != IFO_RING_KEY_LEN)
		return IFO_ERR_CRYPTO;
	return IFO_OK;
}

/*
 * Error messages name the line and the rule it breaks but never quote the
 * line: a key pasted into the wrong column must not end up in a log.
 */
static int parse_line(ifo_keyring_t *kr, const char *line, size_t n,
		unsigned long lineno, char *errbuf, size_t errlen)
{
	struct field f[LINE_FIELDS];
	struct ifo_key *k;
	uint8_t *dst;
	int nf, i, hi, lo, rc;

	if(n && line[n - 1] == '\r')
		n--;
	nf = split_fields(line, n, f);
	if(nf == 0)
		return IFO_OK;
	if(nf < 2 || nf > 3) {
		set_err(errbuf, errlen, "line %lu: expected '<keyid> <64 hex digits> %s'",
				lineno, kr->verify_only ? "verify" : "[active]");
		return IFO_ERR_FORMAT;
	}
	if(!ifo_token_valid(f[0].s, f[0].n, IFO_KEYID_MAX)) {
		set_err(errbuf, errlen,
				"line %lu: key id must be 1-%d characters of A-Z a-z 0-9 . _ -",
				lineno, IFO_KEYID_MAX);
		return IFO_ERR_FORMAT;
	}
	for(i = 0; i < kr->count; i++) {
		if(strlen(kr->keys[i].id) == f[0].n
				&& memcmp(kr->keys[i].id, f[0].s, f[0].n) == 0) {
			set_err(errbuf, errlen, "line %lu: duplicate key id", lineno);
			return IFO_ERR_FORMAT;
		}
	}
	if(kr->count == IFO_KEYRING_MAX) {
		set_err(errbuf, errlen, "line %lu: more than %d keys", lineno,
				IFO_KEYRING_MAX);
		return IFO_ERR_FORMAT;
	}
	if(f[1].n != 2 * IFO_RING_KEY_LEN) {
		set_err(errbuf, errlen,
				"line %lu: key must be %d hex digits (%d bytes)", lineno,
				2 * IFO_RING_KEY_LEN, IFO_RING_KEY_LEN);
		return IFO_ERR_FORMAT;
	}
	rc = check_flag(kr, f, nf, lineno, errbuf, errlen);
	if(rc != IFO_OK)
		return rc;
	k = &kr->keys[kr->count];
	dst = kr->verify_only ? k->vkey : k->key;
	for(i = 0; i < IFO_RING_KEY_LEN; i++) {
		hi = hex_value((unsigned char)f[1].s[2 * i]);
		lo = hex_value((unsigned char)f[1].s[2 * i + 1]);
		if(hi < 0 || lo < 0) {
			OPENSSL_cleanse(k, sizeof(*k));
			set_err(errbuf, errlen, "line %lu: key has a non-hex character",
					lineno);
			return IFO_ERR_FORMAT;
		}
		dst[i] = (uint8_t)(hi << 4 | lo);
	}
	if(!kr->verify_only && derive_vkey(k) != IFO_OK) {
		OPENSSL_cleanse(k, sizeof(*k));
		set_err(errbuf, errlen, "line %lu: cannot derive the verify key",
				lineno);
		return IFO_ERR_CRYPTO;
	}
	memcpy(k->id, f[0].s, f[0].n);
	k->id[f[0].n] = '\0';
	if(nf == 3 && !kr->verify_only)
		kr->active = kr->count;
	kr->count++;
	return IFO_OK;
}

static int ring_from_memory(const char *text, size_t len, int verify_only,
		ifo_keyring_t **out, char *errbuf, size_t errlen)
{
	ifo_keyring_t *kr;
	const char *eol;
	size_t pos = 0, n;
	unsigned long lineno = 1;
	int rc;

	if(errbuf && errlen)
		errbuf[0] = '\0';
	if(out)
		*out = NULL;
	if(!out || (!text && len)) {
		set_err(errbuf, errlen, "invalid argument");
		return IFO_ERR_INVAL;
	}
	kr = calloc(1, sizeof(*kr));
	if(!kr) {
		set_err(errbuf, errlen, "out of memory");
		return IFO_ERR_NOMEM;
	}
	kr->active = -1;
	kr->verify_only = verify_only;
	while(pos < len) {
		eol = memchr(text + pos, '\n', len - pos);
		n = eol ? (size_t)(eol - (text + pos)) : len - pos;
		rc = parse_line(kr, text + pos, n, lineno, errbuf, errlen);
		if(rc != IFO_OK)
			goto fail;
		pos += n + (eol ? 1 : 0);
		lineno++;
	}
	if(kr->count == 0) {
		set_err(errbuf, errlen, "no keys");
		rc = IFO_ERR_FORMAT;
		goto fail;
	}
	if(kr->active < 0 && !verify_only) {
		set_err(errbuf, errlen, "no key is marked active");
		rc = IFO_ERR_FORMAT;
		goto fail;
	}
	*out = kr;
	return IFO_OK;

fail:
	ifo_keyring_free(kr);
	return rc;
}

int ifo_keyring_from_memory(const char *text, size_t len, ifo_keyring_t **out,
		char *errbuf, size_t errlen)
{
	return ring_from_memory(text, len, 0, out, errbuf, errlen);
}

int ifo_keyring_verify_from_memory(const char *text, size_t len,
		ifo_keyring_t **out, char *errbuf, size_t errlen)
{
	return ring_from_memory(text, len, 1, out, errbuf, errlen);
}

/*
 * read(2) into our own buffer rather than stdio, whose internal buffer
 * would keep a copy of the key file in freed memory.
 */
static int ring_load(const char *path, int verify_only, ifo_keyring_t **out,
		char *errbuf, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t got;
	int fd, rc;

	if(errbuf && errlen)
		errbuf[0] = '\0';
	if(out)
		*out = NULL;
	if(!path || !out) {
		set_err(errbuf, errlen, "invalid argument");
		return IFO_ERR_INVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if(fd < 0) {
		set_err(errbuf, errlen, "cannot open key file %s: %s", path,
				strerror(errno));
		return IFO_ERR_IO;
	}
	if(fstat(fd, &st) < 0) {
		set_err(errbuf, errlen, "cannot stat key file %s: %s", path,
				strerror(errno));
		rc = IFO_ERR_IO;
		goto done;
	}
	if(!S_ISREG(st.st_mode)) {
		set_err(errbuf, errlen, "key file %s is not a regular file", path);
		rc = IFO_ERR_IO;
		goto done;
	}
	/* one spare byte tells a file at the limit from one that grew past it */
	buf = malloc(KEYFILE_MAX + 1);
	if(!buf) {
		set_err(errbuf, errlen, "out of memory");
		rc = IFO_ERR_NOMEM;
		goto done;
	}
	while(len < KEYFILE_MAX + 1) {
		got = read(fd, buf + len, KEYFILE_MAX + 1 - len);
		if(got < 0 && errno == EINTR)
			continue;
		if(got < 0) {
			set_err(errbuf, errlen, "cannot read key file %s: %s", path,
					strerror(errno));
			rc = IFO_ERR_IO;
			goto done;
		}
		if(got == 0)
			break;
		len += (size_t)got;
	}
	if(len > KEYFILE_MAX) {
		set_err(errbuf, errlen, "key file %s is larger than %d bytes", path,
				KEYFILE_MAX);
		rc = IFO_ERR_FORMAT;
		goto done;
	}
	rc = ring_from_memory(buf, len, verify_only, out, errbuf, errlen);

done:
	if(buf) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	close(fd);
	return rc;
}

int ifo_keyring_load(
		const char *path, ifo_keyring_t **out, char *errbuf, size_t errlen)
{
	return ring_load(path, 0, out, errbuf, errlen);
}

int ifo_keyring_load_verify(
		const char *path, ifo_keyring_t **out, char *errbuf, size_t errlen)
{
	return ring_load(path, 1, out, errbuf, errlen);
}

int ifo_keyring_is_verify(const ifo_keyring_t *kr)
{
	return kr ? kr->verify_only : 0;
}

int ifo_keyring_verify_text(
		const ifo_keyring_t *kr, char *out, size_t outsz, size_t *outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos = 0, idlen;
	int i, j;

	if(outlen)
		*outlen = 0;
	if(!out || outsz == 0)
		return IFO_ERR_INVAL;
	out[0] = '\0';
	if(!kr || kr->verify_only)
		return IFO_ERR_INVAL;
	for(i = 0; i < kr->count; i++) {
		idlen = strlen(kr->keys[i].id);
		if(pos + idlen + 1 + 2 * IFO_RING_KEY_LEN + 8 + 1 > outsz) {
			OPENSSL_cleanse(out, pos);
			out[0] = '\0';
			return IFO_ERR_TOOLONG;
		}
		memcpy(out + pos, kr->keys[i].id, idlen);
		pos += idlen;
		out[pos++] = ' ';
		for(j = 0; j < IFO_RING_KEY_LEN; j++) {
			out[pos++] = hex[kr->keys[i].vkey[j] >> 4];
			out[pos++] = hex[kr->keys[i].vkey[j] & 15];
		}
		memcpy(out + pos, " verify\n", 8);
		pos += 8;
	}
	out[pos] = '\0';
	if(outlen)
		*outlen = pos;
	return IFO_OK;
}

void ifo_keyring_free(ifo_keyring_t *kr)
{
	if(!kr)
		return;
	OPENSSL_cleanse(kr, sizeof(*kr));
	free(kr);
}

const char *ifo_keyring_active_id(const ifo_keyring_t *kr)
{
	if(!kr || kr->active < 0 || kr->active >= kr->count)
		return NULL;
	return kr->keys[kr->active].id;
}

int ifo_keyring_count(const ifo_keyring_t *kr)
{
	return kr ? kr->count : 0;
}

const char *ifo_keyring_id(const ifo_keyring_t *kr, int i)
{
	if(!kr || i < 0 || i >= kr->count)
		return NULL;
	return kr->keys[i].id;
}

static const struct ifo_key *find_key(const ifo_keyring_t *kr, const char *id)
{
	int i;

	if(!kr || !id)
		return NULL;
	for(i = 0; i < kr->count; i++) {
		if(strcmp(kr->keys[i].id, id) == 0)
			return &kr->keys[i];
	}
	return NULL;
}

const uint8_t *ifo_keyring_key(const ifo_keyring_t *kr, const char *id)
{
	const struct ifo_key *k = find_key(kr, id);

	return k && !kr->verify_only ? k->key : NULL;
}

const uint8_t *ifo_keyring_vkey(const ifo_keyring_t *kr, const char *id)
{
	const struct ifo_key *k = find_key(kr, id);

	return k ? k->vkey : NULL;
}
