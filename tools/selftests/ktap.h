/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * A KTAP version 1 producer for kgo's userspace selftests, header-only so
 * that each selftest stays a single file. See the kernel's
 * Documentation/dev-tools/ktap.rst for the format.
 *
 * A selftest is a table of struct ktap_case, handed to ktap_run(); each case
 * returns KTAP_PASS, KTAP_FAIL or ktap_skip("reason"), and may print "# "
 * diagnostics with ktap_diag() on the way. main() returns ktap_run()'s
 * value: 0 iff no case failed.
 */
#ifndef _KGO_KTAP_H
#define _KGO_KTAP_H

#include <stddef.h>
#include <stdio.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

enum ktap_result {
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,
};

struct ktap_case {
	const char *name;
	enum ktap_result (*run)(void *ctx);
};

/* Why the running case skipped; set by ktap_skip(). */
static char ktap_skip_why[128];

/*
 * Print a "# " diagnostic line. Macros rather than functions so that the
 * compiler checks the format against its arguments.
 */
#define ktap_diag(fmt, ...)	printf("# " fmt "\n", ##__VA_ARGS__)

/* Skip the running case: return ktap_skip("no device: %s", why); */
#define ktap_skip(fmt, ...)						\
	(snprintf(ktap_skip_why, sizeof(ktap_skip_why), fmt, ##__VA_ARGS__), \
	 KTAP_SKIP)

/* Run @n cases with @ctx and print their results; 0 iff none failed. */
static inline int ktap_run(const struct ktap_case *cases, size_t n, void *ctx)
{
	unsigned int pass = 0, fail = 0, skip = 0;
	size_t i;

	/* Line-buffered: a crash or a hang still shows how far we got. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%zu\n", n);

	for (i = 0; i < n; i++) {
		ktap_skip_why[0] = '\0';
		switch (cases[i].run(ctx)) {
		case KTAP_PASS:
			printf("ok %zu %s\n", i + 1, cases[i].name);
			pass++;
			break;
		case KTAP_SKIP:
			printf("ok %zu %s # SKIP %s\n", i + 1, cases[i].name,
			       ktap_skip_why);
			skip++;
			break;
		default:
			printf("not ok %zu %s\n", i + 1, cases[i].name);
			fail++;
			break;
		}
	}

	/* The closing line kselftest prints, for the same tools to read. */
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
	       pass, fail, skip);
	return fail ? 1 : 0;
}

#endif /* _KGO_KTAP_H */
