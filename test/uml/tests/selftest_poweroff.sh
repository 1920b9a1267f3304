#!/bin/bash
# Harness self-test: powers the guest off before its status can be written;
# test/uml/run must report the missing status and return 1.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
echo "selftest_poweroff: powering off without a status on purpose"
sync
poweroff -f >/dev/null 2>&1 || echo o >/proc/sysrq-trigger
sleep 30
