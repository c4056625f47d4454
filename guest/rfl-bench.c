/* SPDX-License-Identifier: MIT */
/*
 * rfl-bench: times one operation on a device or file inside the test VM and prints nanoseconds per
 * operation. Built by the toolkit with `gcc -static` (src/core/compare/benchTool.ts) and put into
 * the initramfs as /bin/rfl-bench, so guest scripts and `rfl compare` workloads can call it.
 *
 *   rfl-bench [-n OPS] [-r REPEATS] [-t MS] [-l LABEL] OP FILE [SIZE]
 *
 *   OP     open    open(2) + close(2) of FILE
 *          write   pwrite(2) of SIZE bytes at offset 0 on one open descriptor
 *          read    pread(2) of SIZE bytes at offset 0 on one open descriptor
 *          lseek   lseek(2) to offset 0 on one open descriptor
 *
 * Each repeat runs batches of OPS operations until it has taken at least MS milliseconds and at least
 * 100 ticks of the clock (a tinyconfig guest under TCG falls back to the jiffies clocksource, whose
 * clock advances in 4 ms steps: a shorter measurement would be mostly rounding), then prints one line
 * (the format `rfl compare` parses; keep it stable):
 *   rfl-bench name=LABEL op=OP size=SIZE ops=TOTAL ns_per_op=NS res_ns=CLOCK_RESOLUTION
 * A failing operation prints `rfl-bench: OP FILE: error errno=N (TEXT)` and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr, "usage: rfl-bench [-n OPS] [-r REPEATS] [-t MS] [-l LABEL] open|write|read|lseek FILE [SIZE]\n");
	return 2;
}

static int fail(const char *op, const char *file)
{
	int saved = errno;

	printf("rfl-bench: %s %s: error errno=%d (%s)\n", op, file, saved, strerror(saved));
	fflush(stdout);
	return 1;
}

/* Runs OPS operations; returns 0, or -1 with errno set by the operation that failed. */
static int run(const char *op, const char *file, int fd, char *buf, size_t size, long ops)
{
	for (long i = 0; i < ops; i++) {
		if (!strcmp(op, "open")) {
			int f = open(file, O_RDONLY | O_CLOEXEC);

			if (f < 0)
				return -1;
			close(f);
		} else if (!strcmp(op, "write")) {
			if (pwrite(fd, buf, size, 0) < 0)
				return -1;
		} else if (!strcmp(op, "read")) {
			if (pread(fd, buf, size, 0) < 0)
				return -1;
		} else if (lseek(fd, 0, SEEK_SET) < 0) {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long ops = 1000, repeats = 1, min_ms = 10;
	const char *label = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:t:l:")) != -1) {
		if (opt == 't')
			min_ms = strtol(optarg, NULL, 10);
		else if (opt == 'n')
			ops = strtol(optarg, NULL, 10);
		else if (opt == 'r')
			repeats = strtol(optarg, NULL, 10);
		else if (opt == 'l')
			label = optarg;
		else
			return usage();
	}
	if (argc - optind < 2 || ops <= 0 || repeats <= 0 || min_ms < 0)
		return usage();
	const char *op = argv[optind], *file = argv[optind + 1];
	size_t size = argc - optind > 2 ? strtoul(argv[optind + 2], NULL, 10) : 0;
	int needs_size = !strcmp(op, "write") || !strcmp(op, "read");

	if (strcmp(op, "open") && !needs_size && strcmp(op, "lseek"))
		return usage();
	if (needs_size && size == 0)
		return usage();
	char name[128];

	if (label)
		snprintf(name, sizeof(name), "%s", label);
	else if (needs_size)
		snprintf(name, sizeof(name), "%s-%zu", op, size);
	else
		snprintf(name, sizeof(name), "%s", op);

	char *buf = calloc(1, size ? size : 1);
	int fd = -1;

	if (!buf)
		return fail(op, file);
	memset(buf, 'x', size);
	if (strcmp(op, "open")) {
		fd = open(file, (!strcmp(op, "write") ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
		if (fd < 0)
			return fail(op, file);
	}
	struct timespec res;
	long long res_ns = clock_getres(CLOCK_MONOTONIC, &res) ? 0 : (long long)res.tv_sec * 1000000000LL + res.tv_nsec;
	long long min_ns = min_ms * 1000000LL;

	if (min_ns < 100 * res_ns)
		min_ns = 100 * res_ns;
	for (long r = 0; r < repeats; r++) {
		long long start = now_ns(), elapsed;
		long total = 0;

		do {
			if (run(op, file, fd, buf, size, ops))
				return fail(op, file);
			total += ops;
			elapsed = now_ns() - start;
		} while (elapsed < min_ns);
		printf("rfl-bench name=%s op=%s size=%zu ops=%ld ns_per_op=%.1f res_ns=%lld\n", name, op, size, total, (double)elapsed / total, res_ns);
		fflush(stdout);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return 0;
}
