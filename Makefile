# IMS IPsec SA failover for Kamailio: top-level build.
#   make         build the modules and tools for TARGET
#   make test    set up what is missing (as root), build and run every test
#                suite on every supported target
#   make demo    a P-CSCF failover end to end inside user-mode-linux
#                (DEMO=active-active: an active-active pool loses a host)
#   make deb / make rpm   packages for TARGET's Kamailio
#   make fuzz    every libFuzzer target (test/fuzz) for FUZZ_SECONDS each
#
# TARGET names a Debian release (mk/targets/): trixie (Kamailio 6.0, the
# default) or bookworm (Kamailio 5.6). Everything is built and tested inside
# a root of that release made by debootstrap (build/roots/TARGET), against
# that release's own Kamailio; the host needs only debootstrap and
# user-mode-linux (make deps installs both).
# SPDX-License-Identifier: GPL-2.0-or-later

TARGET ?= trixie
TARGETS ?= trixie bookworm
TREE = build/$(TARGET)/tree
IN_ROOT = mk/in-root.sh $(TARGET)
export TARGET

.PHONY: all deps build test demo bench testbed fuzz deb rpm clean distclean

all: build

deps:
	@mk/deps.sh $(TARGET)

# The target's tree (links to the sources) is built inside the target's root.
build: deps
	@mk/tree.sh $(TARGET) >/dev/null
	@$(IN_ROOT) make -s -C $(TREE) -f mk/build.mk all

# The one command for tests: set-up included, so a fresh machine needs
# nothing else. Every supported target, one after the other.
test:
	@mk/deps.sh $(TARGETS)
	@test/run-all.sh $(TARGETS)

# A P-CSCF failover end to end, narrated (inside user-mode-linux);
# DEMO=active-active: a host of an active-active pool dies instead.
DEMO ?=
demo: build
	@cd $(TREE) && test/uml/run --timeout 1500 $(if $(DEMO),--mem 2G) \
		test/bed/demo$(if $(DEMO),-$(DEMO)).sh

# The bed up with registered UEs, for a scenario of your own (SCENARIO=file)
testbed: build
	@cd $(TREE) && test/uml/run --timeout 1500 test/bed/explore.sh $(SCENARIO)

# What a takeover costs against the alternatives, measured side by side.
bench: build
	@cd $(TREE) && BENCH_HOST_FAULT_US=$$($(CURDIR)/$(IN_ROOT) test/bench/fault_cost 2000) \
		test/uml/run --timeout 10800 --mem 6G test/bench/bench.sh

# Every fuzz target of test/fuzz, one after the other, in TARGET's root:
# FUZZ_SECONDS each (default 60), or FUZZ_RUNS executions each if set;
# FUZZ_TARGETS=NAME... for some of them. Their corpora grow in
# build/TARGET/tree/test/fuzz/build/corpus/.
FUZZ_SECONDS ?= 60
fuzz: deps
	@mk/tree.sh $(TARGET) >/dev/null
	@$(IN_ROOT) make -s -C $(TREE)/test/fuzz fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) \
		$(if $(FUZZ_RUNS),FUZZ_RUNS=$(FUZZ_RUNS)) \
		$(if $(FUZZ_TARGETS),FUZZ_TARGETS="$(FUZZ_TARGETS)")

# Packages of both modules for TARGET's Kamailio: build/TARGET/*.deb, *.rpm
deb: build
	@$(IN_ROOT) $(TREE)/packaging/deb/build.sh

rpm: build
	@$(IN_ROOT) $(TREE)/packaging/rpm/build.sh

clean:
	rm -rf build/*/tree

distclean:
	rm -rf build
