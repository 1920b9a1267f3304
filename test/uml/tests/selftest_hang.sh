#!/bin/bash
# Harness self-test: never ends; test/uml/run --timeout must kill the guest.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
echo "selftest_hang: sleeping forever on purpose"
while :; do
	sleep 1000
done
