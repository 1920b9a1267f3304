# Shared part of our module Makefiles: builds an out-of-tree Kamailio module
# against the source tree fetched by mk/kamailio-src.sh, with the code
# shared by both modules (modules/common) and this Kamailio generation's
# sources (the module's kamailio-X.Y/ directory) as objects of their own,
# links the record library (plus MOD_LIBS), and refuses to finish when the
# flags would not match the installed core. Include it after setting NAME
# (and optional MOD_LIBS; LIBS itself is reset by Kamailio's Makefile.defs).
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

# The generation seam: Kamailio X.Y's build differences (mk/kamailio-X.Y.mk)
# and sources (kamailio-X.Y/ beside the module's own).
KAMAILIO_GEN := $(word 1,$(subst ., ,$(RELEASE))).$(word 2,$(subst ., ,$(RELEASE)))
GEN_MK := $(TOPDIR)/mk/kamailio-$(KAMAILIO_GEN).mk
ifeq ($(wildcard $(GEN_MK)),)
$(error Kamailio $(KAMAILIO_GEN) is not supported (mk/kamailio-X.Y.mk exist for: \
	$(patsubst $(TOPDIR)/mk/kamailio-%.mk,%,$(wildcard $(TOPDIR)/mk/kamailio-*.mk))))
endif
include $(GEN_MK)

DEFS += -I$(TOPDIR)/lib -I$(TOPDIR)/modules/common -I$(CURDIR) \
	-I$(COREPATH) -I$(COREPATH)/modules
LIBS += $(IFO_LIB) -lcrypto $(MOD_LIBS)

include $(COREPATH)/Makefile.modules

# After Makefile.modules, which resets extra_objs; its link command reads
# the variable when it runs.
COMMON_SRCS := $(wildcard $(TOPDIR)/modules/common/*.c)
GEN_SRCS := $(wildcard kamailio-$(KAMAILIO_GEN)/*.c)
extra_objs := $(patsubst $(TOPDIR)/modules/common/%.c,objs/common/%.o,$(COMMON_SRCS)) \
	$(patsubst kamailio-$(KAMAILIO_GEN)/%.c,objs/gen/%.o,$(GEN_SRCS))

# Compiled with exactly the module's flags (its MOD_NAME in log lines).
objs/common/%.o: $(TOPDIR)/modules/common/%.c $(ALLDEP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(C_INCLUDES) $(INCLUDES) $(C_DEFS) $(DEFS) -MMD -MP -c $< -o $@
objs/gen/%.o: kamailio-$(KAMAILIO_GEN)/%.c $(ALLDEP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(C_INCLUDES) $(INCLUDES) $(C_DEFS) $(DEFS) -MMD -MP -c $< -o $@
$(NAME): $(extra_objs)
-include $(extra_objs:.o=.d)

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

clean: clean-extra
.PHONY: clean-extra
clean-extra:
	rm -rf objs
