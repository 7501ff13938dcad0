// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgoctl: inspect and drive the kgo runtime from the command line.
 *
 * Each subcommand is a row of kgoctl_cmds[]; adding one (stats, bench, ...)
 * adds a row and a function. Exit status: 0 success, 1 failure, 2 usage.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kgo/kgo.h>

#include "libkgo.h"

#define KGOCTL_NAME	"kgoctl"

enum {
	KGOCTL_OK = 0,
	KGOCTL_FAIL = 1,
	KGOCTL_USAGE = 2,
};

struct kgoctl_cmd {
	const char *name;
	const char *summary;
	/* argv[0] is the subcommand's name. */
	int (*run)(int argc, char *argv[]);
};

static int kgoctl_version(int argc, char *argv[]);
static int kgoctl_help(int argc, char *argv[]);

static const struct kgoctl_cmd kgoctl_cmds[] = {
	{ "version", "show the ABI and release of libkgo and kgo.ko",
	  kgoctl_version },
	{ "help", "show this help", kgoctl_help },
	{ }
};

static void kgoctl_usage(FILE *out)
{
	const struct kgoctl_cmd *cmd;

	fprintf(out, "usage: %s <command>\n\ncommands:\n", KGOCTL_NAME);
	for (cmd = kgoctl_cmds; cmd->name; cmd++)
		fprintf(out, "  %-10s %s\n", cmd->name, cmd->summary);
}

/* Subcommands without arguments reject any they are given. */
static int kgoctl_no_args(int argc, char *argv[])
{
	if (argc <= 1)
		return KGOCTL_OK;
	fprintf(stderr, "%s %s: unexpected argument '%s'\n", KGOCTL_NAME,
		argv[0], argv[1]);
	return KGOCTL_USAGE;
}

/* Why an open of /dev/kgo may have failed, in the user's terms. */
static const char *kgoctl_open_hint(int err)
{
	switch (-err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return " (is kgo.ko loaded?)";
	case EACCES:
	case EPERM:
		return " (check the permissions of " KGO_DEVICE_PATH ")";
	default:
		return "";
	}
}

static int kgoctl_open(void)
{
	int fd = kgo_open();

	if (fd < 0)
		fprintf(stderr, "%s: cannot open %s: %s%s\n", KGOCTL_NAME,
			KGO_DEVICE_PATH, kgo_strerror(fd),
			kgoctl_open_hint(fd));
	return fd;
}

static int kgoctl_version(int argc, char *argv[])
{
	struct kgo_version_info info;
	int fd, ret;

	ret = kgoctl_no_args(argc, argv);
	if (ret)
		return ret;

	/* What this binary speaks, even when the module is not there. */
	printf("library ABI:    %u.%u\n", KGO_ABI_VERSION_MAJOR,
	       KGO_ABI_VERSION_MINOR);
	fflush(stdout);

	fd = kgoctl_open();
	if (fd < 0)
		return KGOCTL_FAIL;
	ret = kgo_version(fd, &info);
	close(fd);
	if (ret) {
		fprintf(stderr, "%s: KGO_IOC_VERSION: %s\n", KGOCTL_NAME,
			kgo_strerror(ret));
		return KGOCTL_FAIL;
	}

	printf("module ABI:     %u.%u\n", info.abi_major, info.abi_minor);
	printf("module release: %.*s\n", (int)sizeof(info.release),
	       info.release);
	printf("nprocs:         %u\n", info.nprocs);

	if (info.abi_major != KGO_ABI_VERSION_MAJOR) {
		fprintf(stderr, "%s: module ABI %u.x is incompatible with library ABI %u.%u\n",
			KGOCTL_NAME, info.abi_major, KGO_ABI_VERSION_MAJOR,
			KGO_ABI_VERSION_MINOR);
		return KGOCTL_FAIL;
	}
	return KGOCTL_OK;
}

static int kgoctl_help(int argc, char *argv[])
{
	int ret = kgoctl_no_args(argc, argv);

	if (ret)
		return ret;
	kgoctl_usage(stdout);
	return KGOCTL_OK;
}

static const struct kgoctl_cmd *kgoctl_find(const char *name)
{
	const struct kgoctl_cmd *cmd;

	/* The conventional spellings of help reach the help command. */
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	for (cmd = kgoctl_cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

int main(int argc, char *argv[])
{
	const struct kgoctl_cmd *cmd;

	if (argc < 2) {
		kgoctl_usage(stderr);
		return KGOCTL_USAGE;
	}
	cmd = kgoctl_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\nRun '%s help' for usage.\n",
			KGOCTL_NAME, argv[1], KGOCTL_NAME);
		return KGOCTL_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
