# Build seam, Kamailio 5.6 (Debian 12 bookworm): included by mk/module.mk
# when the Kamailio source is 5.6.x. What a module needs that differs
# between Kamailio generations lives here and in each module's
# kamailio-5.6/ directory, nowhere else.
# SPDX-License-Identifier: GPL-2.0-or-later

# The DB API is a shared library of its own (libsrdb1), found at run time
# where the distribution's DB-using modules find it (their RUNPATH).
KAMAILIO_LIBDIR ?= $(firstword $(wildcard \
	/usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null)/kamailio \
	/usr/lib64/kamailio /usr/lib/kamailio))
GEN_DB_LIBS = -L$(KAMAILIO_LIBDIR) -lsrdb1 -Wl,-rpath,$(KAMAILIO_LIBDIR)
