# IMS IPsec SA failover for Kamailio: top-level build.
#   make         build the shared library and both modules
#   make test    install what is missing (as root), build, run every test
#   make demo    a P-CSCF failover end to end inside user-mode-linux
# SPDX-License-Identifier: GPL-2.0-or-later

MODULES := ims_ipsec_failover ims_ipsec_failover_scscf
BUILD := build
KSRC_STAMP := $(BUILD)/kamailio/.configured

.PHONY: all deps lib modules utils tools test unit-test demo bench testbed clean distclean install deb

all: modules utils

deps:
	@mk/deps.sh

$(KSRC_STAMP):
	@mk/kamailio-src.sh $(BUILD)

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

# The one command for tests: set-up included, so a fresh machine needs
# nothing else.
test: deps
	@$(MAKE) -s all tools
	@test/run-all.sh

# A P-CSCF failover end to end, narrated (inside user-mode-linux).
demo: deps
	@$(MAKE) -s all tools
	@test/uml/run --timeout 1500 test/bed/demo.sh

# The bed up with registered UEs, for a scenario of your own (SCENARIO=file)
testbed: deps
	@$(MAKE) -s all tools
	@test/uml/run --timeout 1500 test/bed/explore.sh $(SCENARIO)

# What a takeover costs against the alternatives, measured side by side.
bench: deps
	@$(MAKE) -s all tools
	@BENCH_HOST_FAULT_US=$$(test/bench/fault_cost 2000) test/uml/run --timeout 1500 test/bench/bench.sh

# The Debian package of both modules, for the Kamailio installed here.
deb: modules
	@packaging/deb/build.sh

install: modules utils
	@set -e; for m in $(MODULES); do \
		install -D -m 0644 modules/$$m/$$m.so \
			$(DESTDIR)/usr/lib/$$(dpkg-architecture -qDEB_HOST_MULTIARCH)/kamailio/modules/$$m.so; \
	done
	@install -D -m 0755 utils/keys/ipsec-failover-keys \
		$(DESTDIR)/usr/bin/ipsec-failover-keys

clean:
	@for m in $(MODULES); do $(MAKE) -s -C modules/$$m clean >/dev/null 2>&1 || true; \
		rm -f modules/$$m/verprobe*; done
	@$(MAKE) -s -C lib/ifo clean >/dev/null 2>&1 || true
	@$(MAKE) -s -C test/unit clean >/dev/null 2>&1 || true
	@$(MAKE) -s -C test/xfrm clean >/dev/null 2>&1 || true
	@$(MAKE) -s -C test/bench clean >/dev/null 2>&1 || true
	@$(MAKE) -s -C utils/keys clean >/dev/null 2>&1 || true
	@$(MAKE) -s -C test/hss/milenage clean >/dev/null 2>&1 || true

distclean: clean
	rm -rf $(BUILD)
