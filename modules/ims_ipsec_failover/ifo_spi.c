/*
 * SPI range halves, one per start of the node (see ifo_spi.h).
 *
 * ims_ipsec_pcscf reads ipsec_spi_id_start and ipsec_spi_id_range in its
 * mod_init, which Kamailio runs in load order: this module, loaded before
 * it, sets both through the module's parameter exports (the same
 * variables a modparam line sets) to the half of this start.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/sr_module.h"

#include "ifo_spi.h"
#include "ifo_stock.h"

/* The core's list of loaded modules, newest first. */
extern struct sr_module *modules;

static ifo_spi_info_t spi;

/* The half the last start used, from its state line, if that start had
 * the same range; -1 otherwise. */
static int last_half(const char *file)
{
	FILE *f = fopen(file, "r");
	unsigned long start, range;
	int half = -1, n;

	if(f == NULL) {
		if(errno != ENOENT)
			LM_WARN("cannot read %s: %s\n", file, strerror(errno));
		return -1;
	}
	n = fscanf(f, "half=%d start=%lu range=%lu", &half, &start, &range);
	fclose(f);
	if(n != 3 || (half != 0 && half != 1)) {
		LM_WARN("%s is not a state line of this module: ignored\n", file);
		return -1;
	}
	if(start != spi.start || range != spi.range) {
		LM_NOTICE("the SPI range changed since the last start (%lu+%lu, now "
				  "%u+%u): starting with its first half\n",
				start, range, spi.start, spi.range);
		return -1;
	}
	return half;
}

static int save_half(const char *file)
{
	char tmp[512];
	FILE *f;

	if(snprintf(tmp, sizeof(tmp), "%s.tmp", file) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if(f == NULL)
		return -1;
	fprintf(f, "half=%d start=%u range=%u\n", spi.index, spi.start, spi.range);
	if(fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	return rename(tmp, file);
}

/* 1 if ims_ipsec_pcscf was loaded before this module, i.e. has already
 * run its mod_init. */
static int loaded_before(struct sr_module *stock)
{
	struct sr_module *m;

	for(m = modules; m; m = m->next) {
		if(m == stock)
			return 0;
		if(strcmp(m->exports.name, "ims_ipsec_failover") == 0)
			break;
	}
	for(; m; m = m->next)
		if(m == stock)
			return 1;
	return 0;
}

int ifo_spi_init(const char *state_file)
{
	struct sr_module *stock = find_module_by_name("ims_ipsec_pcscf");
	modparam_t t = PARAM_INT;
	int *p_start, *p_range, last;
	uint32_t step = ifo_stock_spi_step();

	if(stock == NULL) {
		LM_ERR("ims_ipsec_pcscf is not loaded\n");
		return -1;
	}
	if(loaded_before(stock)) {
		LM_ERR("load ims_ipsec_failover before ims_ipsec_pcscf (and after "
			   "ims_usrloc_pcscf): it gives ims_ipsec_pcscf the half of its "
			   "SPI range for this start before that module starts\n");
		return -1;
	}
	p_start = find_param_export(stock, "ipsec_spi_id_start", PARAM_INT, &t);
	p_range = find_param_export(stock, "ipsec_spi_id_range", PARAM_INT, &t);
	if(p_start == NULL || p_range == NULL) {
		LM_ERR("ims_ipsec_pcscf exports no ipsec_spi_id_start/range\n");
		return -1;
	}
	if(*p_start < 1 || *p_range < (int)(4 * step)) {
		LM_ERR("ims_ipsec_pcscf's SPI range %d+%d is too small to be cut in "
			   "two halves\n",
				*p_start, *p_range);
		return -1;
	}
	spi.start = (uint32_t)*p_start;
	spi.range = (uint32_t)*p_range;
	spi.half = (spi.range / 2) / step * step;
	last = last_half(state_file);
	spi.index = last == 0 ? 1 : 0;
	spi.cur_start = spi.start + (uint32_t)spi.index * spi.half;
	*p_start = (int)spi.cur_start;
	*p_range = (int)spi.half;
	if(save_half(state_file) != 0)
		LM_WARN("cannot record the SPI half in %s: %s - at the next start "
				"ims_ipsec_pcscf may allocate the SPIs of UEs recovered "
				"then\n",
				state_file, strerror(errno));
	LM_INFO("ims_ipsec_pcscf allocates SPIs %u..%u this start (half %d of "
			"%u..%u)\n",
			spi.cur_start, spi.cur_start + spi.half - 1, spi.index, spi.start,
			spi.start + spi.range - 1);
	return 0;
}

int ifo_spi_allocatable(uint32_t v)
{
	return spi.half > 0 && v >= spi.cur_start && v - spi.cur_start < spi.half;
}

int ifo_spi_own(uint32_t v)
{
	return spi.range > 0 && v >= spi.start && v - spi.start < spi.range;
}

void ifo_spi_get(ifo_spi_info_t *info)
{
	*info = spi;
}
