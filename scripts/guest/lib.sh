# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest scripts, installed in every test VM as
# /guest-lib.sh by scripts/vm-run.sh. Source it; do not run it.

# kgo_collect_kunit TAG: copy the kgo suites' KTAP from debugfs to the
# console and the results port, their suite names suffixed with TAG so that
# several runs stay apart. Fails when no suite reported; sets failed=1 when
# a suite failed.
kgo_collect_kunit() {
	found=0
	for r in /sys/kernel/debug/kunit/kgo*/results; do
		[ -f "$r" ] || continue
		found=1
		cat "$r"
		sed "s/^\( *# Subtest: kgo[^ ]*\)/\1$1/" "$r" >>"$KGO_RESULTS"
		grep -q '^not ok' "$r" && failed=1
	done
	test $found = 1
}
