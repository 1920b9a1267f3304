# Shared part of our module Makefiles: builds an out-of-tree Kamailio module
# against the source tree fetched by mk/kamailio-src.sh, links the common
# record library (plus MOD_LIBS), and refuses to finish when the flags would not match the
# installed core. Include it after setting NAME (and optional MOD_LIBS;
# LIBS itself is reset by Kamailio's Makefile.defs).
# SPDX-License-Identifier: GPL-2.0-or-later

TOPDIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
KAMAILIO_SRC ?= $(TOPDIR)/build/kamailio
COREPATH := $(KAMAILIO_SRC)/src
KAMAILIO_BIN ?= /usr/sbin/kamailio
IFO_LIB := $(TOPDIR)/lib/ifo/libifo.a

ifeq ($(wildcard $(COREPATH)/config.mak),)
$(error Kamailio source not prepared in $(KAMAILIO_SRC): run 'make' from $(TOPDIR))
endif

include $(COREPATH)/Makefile.defs
auto_gen=
DEFS += -I$(TOPDIR)/lib -I$(TOPDIR)/modules/common -I$(COREPATH) -I$(COREPATH)/modules
LIBS += $(IFO_LIB) -lcrypto $(MOD_LIBS)

include $(COREPATH)/Makefile.modules

# The probe is compiled with exactly the flags the module gets; comparing
# its output with the installed binary catches a version/flag drift at
# build time.
verprobe: $(TOPDIR)/mk/verprobe.c
	$(CC) $(CFLAGS) $(C_DEFS) $(DEFS) -I$(COREPATH) -o $@ $<

.PHONY: check-version
check-version: verprobe
	@./verprobe > verprobe.out; \
	$(KAMAILIO_BIN) -v 2>/dev/null | sed -n '1,2p' | sed 's/ *$$//' > verprobe.want; \
	if ! cmp -s verprobe.out verprobe.want; then \
		echo "ERROR: $(NAME) would not load in $(KAMAILIO_BIN):"; \
		echo "  built for: `tr '\n' ' ' < verprobe.out`"; \
		echo "  installed: `tr '\n' ' ' < verprobe.want`"; \
		echo "  Remove build/ and run 'make' again so the source and flags"; \
		echo "  follow the installed kamailio package (make deps installs it)."; \
		rm -f $(NAME); exit 1; \
	fi

# Relink when the shared record library changes.
$(NAME): $(IFO_LIB)
