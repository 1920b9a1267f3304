# Build seam, Kamailio 6.0 (Debian 13 trixie): included by mk/module.mk
# when the Kamailio source is 6.0.x. What a module needs that differs
# between Kamailio generations lives here and in each module's
# kamailio-6.0/ directory, nowhere else.
# SPDX-License-Identifier: GPL-2.0-or-later

# Since 6.0 the internal libraries (the DB API among them) are linked into
# the kamailio binary: a module resolves them from there.
GEN_DB_LIBS =
