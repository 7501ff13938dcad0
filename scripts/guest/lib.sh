# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest scripts, installed in every test VM as
# /guest-lib.sh by scripts/vm-run.sh. Source it; do not run it.

# kgo_collect_kunit TAG: copy the kgo suites' KTAP from debugfs to the
# console and the results port, their suite names suffixed with TAG so that
# several runs stay apart; sets failed=1 when a suite failed.
# Then check that every suite in /kgo/kunit-suites (the suites kunit/
# defines, listed by make check from the source) reported at least one
# case, as a KTAP document of its own, kunit_suites_reportedTAG, one case a
# suite: a suite that never registered (say, left out of kunit/main.c) is
# a failure that names it, not a silence. Fails when one is missing or no
# list was shipped.
kgo_collect_kunit() {
	list=/kgo/kunit-suites
	for r in /sys/kernel/debug/kunit/kgo*/results; do
		[ -f "$r" ] || continue
		cat "$r"
		sed "s/^\( *# Subtest: kgo[^ ]*\)/\1$1/" "$r" >>"$KGO_RESULTS"
		grep -q '^not ok' "$r" && failed=1
	done
	if [ ! -s $list ]; then
		echo "kgo-guest: $list is missing: no list of the KUnit suites to expect"
		return 1
	fi
	i=0 missing=
	: >/tmp/kunit-reported.ktap
	for s in $(cat $list); do
		i=$((i + 1))
		r=/sys/kernel/debug/kunit/$s/results
		# KUnit's debugfs file indents each case's result line.
		if [ -f "$r" ] && grep -q '^ \{1,\}\(not \)\{0,1\}ok ' "$r"; then
			echo "ok $i $s" >>/tmp/kunit-reported.ktap
		else
			echo "not ok $i $s # no case results in $r: the suite never registered or ran" \
				>>/tmp/kunit-reported.ktap
			missing="$missing $s"
		fi
	done
	{ echo "KTAP version 1"; echo "# kgo-suite: kunit_suites_reported$1"
	  echo "1..$i"; cat /tmp/kunit-reported.ktap; } >>"$KGO_RESULTS"
	[ -z "$missing" ] || { echo "kgo-guest: KUnit suites that did not report$1:$missing"; return 1; }
}
