# The build inside a target root (mk/in-root.sh), run in that target's tree
# (mk/tree.sh): the record library, both modules against the target's
# Kamailio source, the key tool, the test programs, the unit tests.
# The top-level Makefile calls it; nothing here runs on the host.
# SPDX-License-Identifier: GPL-2.0-or-later

MODULES := ims_ipsec_failover ims_ipsec_failover_scscf
# The tree is build/TARGET/tree: the target's Kamailio source is beside it.
# In a plain checkout on the target distribution itself:
#   make -f mk/build.mk KAMAILIO_SRC=$PWD/build/kamailio
KAMAILIO_SRC ?= $(abspath $(CURDIR)/../kamailio)
KSRC_STAMP := $(KAMAILIO_SRC)/.configured
export KAMAILIO_SRC

.PHONY: all lib modules utils tools unit-test install

all: modules utils tools

$(KSRC_STAMP):
	@mk/kamailio-src.sh $(abspath $(dir $(KAMAILIO_SRC)))

lib:
	@$(MAKE) -s -C lib/ifo

modules: lib $(KSRC_STAMP)
	@set -e; for m in $(MODULES); do \
		$(MAKE) -s -C modules/$$m; \
		$(MAKE) -s -C modules/$$m check-version; \
	done

# Shipped with the modules: the admin's key file tool.
utils: lib
	@$(MAKE) -s -C utils/keys

# Test-side programs: the XFRM driver (also the benchmark's floor), the
# benchmark's page-fault probe and the test HSS's Milenage.
tools: lib
	@$(MAKE) -s -C test/xfrm
	@$(MAKE) -s -C test/bench
	@$(MAKE) -s -C test/hss/milenage all

unit-test:
	@$(MAKE) -s -C test/unit check

# Into DESTDIR (packaging): the modules where this distribution's Kamailio
# keeps its own, the key tool in /usr/bin.
MODDIR ?= /usr/lib/$(shell dpkg-architecture -qDEB_HOST_MULTIARCH)/kamailio/modules
install: modules utils
	@set -e; for m in $(MODULES); do \
		install -D -m 0644 modules/$$m/$$m.so $(DESTDIR)$(MODDIR)/$$m.so; \
	done
	@install -D -m 0755 utils/keys/ipsec-failover-keys \
		$(DESTDIR)/usr/bin/ipsec-failover-keys
