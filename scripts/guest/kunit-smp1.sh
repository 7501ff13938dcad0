#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of make check's single-CPU run (debug kernel, -smp 1):
# the KUnit suites with quick=1, where a G that blocks or hogs shares the
# only CPU with everything else. Suite names get the suffix "[smp=1]".

MODS=/kgo/modules
status=0

insmod $MODS/kgo.ko || exit 1
insmod $MODS/kgo_test.ko quick=1 || status=1
found=0
for r in /sys/kernel/debug/kunit/kgo*/results; do
	[ -f "$r" ] || continue
	found=1
	cat "$r"
	sed "s/^\( *# Subtest: kgo[^ ]*\)/\1[smp=1]/" "$r" >>"$KGO_RESULTS"
	grep -q '^not ok' "$r" && status=1
done
[ $found = 1 ] || { echo "kgo-guest: no KUnit results"; status=1; }
rmmod kgo_test || status=1
rmmod kgo || status=1
exit $status
