#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of make check's single-CPU run (debug kernel, -smp 1):
# the KUnit suites with quick=1, where a G that blocks or hogs shares the
# only CPU with everything else. Suite names get the suffix "[smp=1]".

. /guest-lib.sh

MODS=/kgo/modules
failed=0

insmod $MODS/kgo.ko || exit 1
insmod $MODS/kgo_test.ko quick=1 || failed=1
# Fails, naming them, when expected suites did not report (the list is
# /kgo/kunit-suites, from the source; see scripts/guest/lib.sh).
kgo_collect_kunit "[smp=1]" || failed=1
rmmod kgo_test || failed=1
rmmod kgo || failed=1
exit $failed
