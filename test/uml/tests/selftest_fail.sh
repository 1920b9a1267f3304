#!/bin/bash
# Harness self-test: exits 3 on purpose; test/uml/run must return 3.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
echo "selftest_fail: exiting 3 on purpose"
exit 3
