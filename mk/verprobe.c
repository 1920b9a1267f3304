/*
 * Prints the version and compile-flags strings a module built with these
 * flags will carry, in the same form as `kamailio -v`, so the build can
 * refuse a mismatch instead of leaving it to a load-time error.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include "core/ver_defs.h"

int main(void)
{
	printf("version: %s\nflags: %s\n", SER_FULL_VERSION, SER_COMPILE_FLAGS);
	return 0;
}
