/*
 * What a first touch of memory costs here: a child process writes one
 * byte into each page of a shared mapping its parent had already filled,
 * as a Kamailio worker does when it first reaches a contact in shared
 * memory, and the time per page is printed. `make bench` uses it to say
 * how much of a takeover's time its page faults (counted in the modules'
 * INFO lines) account for on this kernel.
 *   fault_cost [PAGES]   (default 4096)
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 4096;
	long ps = sysconf(_SC_PAGESIZE), i;
	volatile char *p;
	double t;
	pid_t pid;
	int st;

	if(n <= 0)
		return 2;
	p = mmap(NULL, n * ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			-1, 0);
	if(p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for(i = 0; i < n; i++)
		p[i * ps] = 1;
	pid = fork();
	if(pid < 0) {
		perror("fork");
		return 1;
	}
	if(pid == 0) {
		t = now_us();
		for(i = 0; i < n; i++)
			p[i * ps] = 2;
		printf("%.1f\n", (now_us() - t) / n);
		return 0;
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
