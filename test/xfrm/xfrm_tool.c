/*
 * xfrm_tool - drives lib/ifo's XFRM code with synthetic UEs, for the
 * user-mode-linux tests and as the benchmark's floor: the same SAs and
 * policies installed with batched, acknowledged netlink and nothing else.
 *
 *   xfrm_tool install N [-6] [-o OSEQ] [-s SPIBASE] [-b BATCH] [-r RCVBUF]
 *   xfrm_tool verify  N [-6] [-o OSEQ] [-s SPIBASE]
 *   xfrm_tool remove  N [-6] [-s SPIBASE]
 *   xfrm_tool raise   N [-6] [-o OSEQ] [-s SPIBASE]  (outbound SAs to OSEQ)
 *   xfrm_tool ipbatch N [-6] [-s SPIBASE]   (prints `ip -batch` input)
 *
 * UE i has address 10.64.x.y (or fd00:64::x:y), the P-CSCF 10.63.0.1 (or
 * fd00:63::1); SPIs spi base + 4i .. + 4i+3, ports as a P-CSCF with
 * client port 5100 and server port 5200 would give. Prints one line with
 * the counts and the elapsed time.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ifo_record.h"
#include "ifo_xfrm.h"

static int v6;
static uint32_t spi_base = 100000;
static uint32_t oseq_start;
static int batch = 0; /* 0: all at once */
static int rcvbuf = 0; /* 0: the library's */

static void make_record(int i, ifo_record_t *r)
{
	ifo_record_init(r);
	snprintf(r->node, sizeof(r->node), "bench");
	if(v6) {
		r->ue_addr.family = AF_INET6;
		inet_pton(AF_INET6, "fd00:64::", r->ue_addr.a);
		r->ue_addr.a[14] = (uint8_t)(i >> 8);
		r->ue_addr.a[15] = (uint8_t)(i & 0xff);
		r->pcscf_addr.family = AF_INET6;
		inet_pton(AF_INET6, "fd00:63::1", r->pcscf_addr.a);
	} else {
		r->ue_addr.family = AF_INET;
		r->ue_addr.a[0] = 10;
		r->ue_addr.a[1] = 64 + (uint8_t)(i >> 16);
		r->ue_addr.a[2] = (uint8_t)(i >> 8);
		r->ue_addr.a[3] = (uint8_t)(i & 0xff);
		r->pcscf_addr.family = AF_INET;
		r->pcscf_addr.a[0] = 10;
		r->pcscf_addr.a[1] = 63;
		r->pcscf_addr.a[3] = 1;
	}
	r->ipsec.spi_uc = spi_base + 4 * i;
	r->ipsec.spi_us = spi_base + 4 * i + 1;
	r->ipsec.spi_pc = spi_base + 4 * i + 2;
	r->ipsec.spi_ps = spi_base + 4 * i + 3;
	r->ipsec.port_uc = 31000;
	r->ipsec.port_us = 31001;
	r->ipsec.port_pc = 5100 + (i % 100);
	r->ipsec.port_ps = 5200 + (i % 100);
	strcpy(r->ipsec.alg, "hmac(sha1)");
	strcpy(r->ipsec.ealg, "cbc(aes)");
	r->ipsec.ik_len = 16;
	r->ipsec.ck_len = 16;
	memset(r->ipsec.ik, 0x11 + (i & 0x3f), 16);
	memset(r->ipsec.ck, 0x22 + (i & 0x3f), 16);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_addr(const ifo_addr_t *a, char *buf, size_t n)
{
	inet_ntop(a->family, a->a, buf, n);
}

/* `ip -batch` lines for the same objects: the reference an admin would
 * reach for. */
static void ipbatch(int n)
{
	ifo_record_t r;
	char ue[64], p[64];
	int i;

	for(i = 0; i < n; i++) {
		const ifo_ipsec_t *s = &r.ipsec;
		struct
		{
			const char *src, *dst;
			int sp, dp;
			uint32_t spi;
			const char *dir;
		} f[4];
		int k;

		make_record(i, &r);
		print_addr(&r.ue_addr, ue, sizeof(ue));
		print_addr(&r.pcscf_addr, p, sizeof(p));
		f[0].src = ue, f[0].dst = p, f[0].sp = s->port_uc,
		f[0].dp = s->port_ps, f[0].spi = s->spi_ps, f[0].dir = "in";
		f[1].src = p, f[1].dst = ue, f[1].sp = s->port_pc,
		f[1].dp = s->port_us, f[1].spi = s->spi_us, f[1].dir = "out";
		f[2].src = p, f[2].dst = ue, f[2].sp = s->port_ps,
		f[2].dp = s->port_uc, f[2].spi = s->spi_uc, f[2].dir = "out";
		f[3].src = ue, f[3].dst = p, f[3].sp = s->port_us,
		f[3].dp = s->port_pc, f[3].spi = s->spi_pc, f[3].dir = "in";
		for(k = 0; k < 4; k++) {
			printf("xfrm state add src %s dst %s proto esp spi %u reqid %u "
				   "mode transport replay-window 32 auth hmac(sha1) 0x",
					f[k].src, f[k].dst, f[k].spi, f[k].spi);
			for(int b = 0; b < 16; b++)
				printf("%02x", s->ik[b]);
			printf(" enc cbc(aes) 0x");
			for(int b = 0; b < 16; b++)
				printf("%02x", s->ck[b]);
			printf(" sel src %s dst %s sport %d dport %d\n", f[k].src,
					f[k].dst, f[k].sp, f[k].dp);
			printf("xfrm policy add src %s dst %s sport %d dport %d dir %s "
				   "priority 2080 tmpl src %s dst %s proto esp reqid %u "
				   "mode transport\n",
					f[k].src, f[k].dst, f[k].sp, f[k].dp, f[k].dir, f[k].src,
					f[k].dst, f[k].spi);
		}
	}
}

int main(int argc, char **argv)
{
	const char *cmd;
	ifo_xfrm_t *x;
	ifo_record_t *recs;
	const ifo_record_t **ptrs;
	uint32_t *oseq;
	int *err;
	int n, i, c, ok = 0, bad = 0;
	double t0, t1;

	if(argc < 3) {
		fprintf(stderr, "usage: %s install|verify|remove|raise|ipbatch N [-6] "
						"[-o OSEQ] [-s SPIBASE] [-b BATCH]\n",
				argv[0]);
		return 2;
	}
	cmd = argv[1];
	n = atoi(argv[2]);
	optind = 3;
	while((c = getopt(argc, argv, "6o:s:b:r:")) != -1) {
		switch(c) {
			case '6':
				v6 = 1;
				break;
			case 'o':
				oseq_start = (uint32_t)strtoul(optarg, NULL, 0);
				break;
			case 's':
				spi_base = (uint32_t)strtoul(optarg, NULL, 0);
				break;
			case 'b':
				batch = atoi(optarg);
				break;
			case 'r':
				rcvbuf = atoi(optarg);
				break;
			default:
				return 2;
		}
	}
	if(n <= 0 || n > 1000000)
		return 2;
	if(strcmp(cmd, "ipbatch") == 0) {
		ipbatch(n);
		return 0;
	}
	recs = calloc(n, sizeof(*recs));
	ptrs = calloc(n, sizeof(*ptrs));
	oseq = calloc(n, sizeof(*oseq));
	err = calloc(n, sizeof(*err));
	x = ifo_xfrm_open();
	if(!recs || !ptrs || !oseq || !err || !x) {
		perror("xfrm_tool");
		return 1;
	}
	if(rcvbuf > 0 && ifo_xfrm_set_rcvbuf(x, rcvbuf) < 0) {
		perror("xfrm_tool: receive buffer");
		return 1;
	}
	for(i = 0; i < n; i++) {
		make_record(i, &recs[i]);
		ptrs[i] = &recs[i];
		oseq[i] = oseq_start;
	}
	t0 = now();
	if(strcmp(cmd, "install") == 0) {
		int step = batch > 0 ? batch : n;
		for(i = 0; i < n; i += step) {
			int m = n - i < step ? n - i : step;
			int rc = ifo_xfrm_install(x, ptrs + i, oseq + i, m, err + i);
			if(rc < 0) {
				fprintf(stderr, "install: %s\n", strerror(-rc));
				return 1;
			}
		}
		for(i = 0; i < n; i++) {
			if(err[i] == 0)
				ok++;
			else {
				bad++;
				if(bad <= 5)
					printf("ue %d: %s\n", i, strerror(-err[i]));
			}
		}
	} else if(strcmp(cmd, "verify") == 0) {
		for(i = 0; i < n; i++) {
			ifo_xfrm_sa_t sa;
			const ifo_record_t *r = &recs[i];
			int good = ifo_xfrm_get_sa(x, &r->pcscf_addr, &r->ue_addr,
								r->ipsec.spi_us, &sa)
							   == 0
					   && sa.oseq == oseq_start && sa.reqid == r->ipsec.spi_us
					   && sa.sel_user == IFO_XFRM_USER_SELECTOR
					   && sa.replay_window == IFO_XFRM_REPLAY_WINDOW
					   && sa.auth_key_len == 16
					   && memcmp(sa.auth_key, r->ipsec.ik, 16) == 0
					   && sa.enc_key_len == 16
					   && memcmp(sa.enc_key, r->ipsec.ck, 16) == 0
					   && ifo_xfrm_get_sa(x, &r->ue_addr, &r->pcscf_addr,
								  r->ipsec.spi_ps, &sa)
								  == 0
					   && sa.oseq == 0;
			if(good)
				ok++;
			else if(++bad <= 5)
				printf("ue %d: SA missing or different\n", i);
		}
	} else if(strcmp(cmd, "raise") == 0) {
		for(i = 0; i < n; i++) {
			int rc = ifo_xfrm_raise_oseq(x, &recs[i], oseq_start);
			if(rc == 0)
				ok++;
			else if(++bad <= 5)
				printf("ue %d: %s\n", i, strerror(-rc));
		}
	} else if(strcmp(cmd, "remove") == 0) {
		for(i = 0; i < n; i++) {
			int rc = ifo_xfrm_remove(x, &recs[i]);
			if(rc == 8)
				ok++;
			else
				bad++;
		}
	} else {
		return 2;
	}
	t1 = now();
	printf("%s: %d ok, %d failed, %.3f s\n", cmd, ok, bad, t1 - t0);
	ifo_xfrm_close(x);
	return bad ? 1 : 0;
}
