#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make check`, run by scripts/guest/init inside the VM.
# Loads kgo and its sample, runs the userspace selftests and, where the
# kernel has KUnit, the KUnit module; unloads everything; reports KTAP on
# $KGO_RESULTS. Exit status 0 iff every step passed.
#
# Payload layout (/kgo): modules/*.ko, bin/kgoctl, selftests/*

. /guest-lib.sh

MODS=/kgo/modules
failed=0
n=0

LIFECYCLE=/tmp/guest_lifecycle.ktap
: >$LIFECYCLE

# step NAME COMMAND...: run COMMAND, record one KTAP result named NAME.
step() {
	name=$1
	shift
	n=$((n + 1))
	echo "kgo-guest: $name: $*"
	if "$@"; then
		echo "ok $n $name" >>$LIFECYCLE
	else
		echo "not ok $n $name" >>$LIFECYCLE
		failed=1
	fi
}

# skip NAME WHY: record NAME as skipped.
skip() {
	n=$((n + 1))
	echo "kgo-guest: $1: skipped: $2"
	echo "ok $n $1 # SKIP $2" >>$LIFECYCLE
}

TRACEFS=/sys/kernel/tracing
trace_available() {
	[ -d $TRACEFS/events ] || mount -t tracefs nodev $TRACEFS 2>/dev/null
	[ -d $TRACEFS/events ]
}

# trace_pipeline_ok: with kgo's events on, the pipeline sample's Gs leave a
# trace in which one worker G (the first to receive from a channel) has,
# in this order and nothing after its exit: kgo_g_spawn, kgo_g_run,
# kgo_chan_recv, kgo_chan_send, kgo_g_exit; and every event kgo registers
# fired at least once, but for those the sample cannot cause.
trace_pipeline_ok() {
	t=$TRACEFS
	[ -d $t/events/kgo ] || { echo "no $t/events/kgo"; return 1; }
	ls $t/events/kgo
	echo 0 >$t/tracing_on && echo >$t/trace && echo 1 >$t/events/kgo/enable &&
		echo 1 >$t/tracing_on || return 1
	insmod $MODS/kgo_sample_pipeline.ko || return 1
	echo 0 >$t/tracing_on
	echo 0 >$t/events/kgo/enable
	rmmod kgo_sample_pipeline || return 1
	grep ' kgo_' $t/trace >/tmp/kgo.trace
	echo "$(wc -l </tmp/kgo.trace) kgo events; the first 12:"
	head -n 12 /tmp/kgo.trace
	for ev in kgo_g_spawn kgo_g_run kgo_g_exit kgo_g_ready kgo_chan_send \
		  kgo_chan_recv kgo_chan_close; do
		grep -q " $ev: " /tmp/kgo.trace || { echo "no $ev event"; return 1; }
	done
	id=$(sed -n 's/.* kgo_chan_recv: chan=[0-9]* goid=\([1-9][0-9]*\) .*/\1/p' \
		/tmp/kgo.trace | head -n 1)
	[ -n "$id" ] || { echo "no receive by a G"; return 1; }
	seq=$(grep -E "(: | )goid=$id( |\$)" /tmp/kgo.trace |
	      sed -n 's/.* \(kgo_[a-z_]*\): .*/\1/p' | uniq | tr '\n' ' ')
	echo "goid $id: $(echo "$seq" | awk '{ printf "%d events: %s %s %s ... %s", NF, $1, $2, $3, $NF }')"
	echo "$seq" | grep -Eq '^kgo_g_spawn kgo_g_run .*kgo_chan_recv .*kgo_chan_send .*kgo_g_exit $'
}

is_char_dev_0666() {
	[ -c "$1" ] && [ "$(stat -c %a "$1")" = 666 ]
}

# debugfs_sched_ok NPROCS MIN_RAN: /sys/kernel/debug/kgo/sched has a
# summary saying nprocs=NPROCS and one line per P, whose ran= counts add up
# to at least MIN_RAN (> 0: the step is meant to follow work); and
# /sys/kernel/debug/kgo/ms has at least a line per P. Says what is wrong.
debugfs_sched_ok() {
	f=/sys/kernel/debug/kgo/sched
	ms=/sys/kernel/debug/kgo/ms
	[ "$2" -gt 0 ] || { echo "debugfs_sched_ok: MIN_RAN must be > 0"; return 1; }
	[ -r $f ] && [ -r $ms ] || { echo "no $f or $ms"; return 1; }
	cat $f $ms
	np=$(sed -n 's/^SCHED: nprocs=\([0-9]*\) .*/\1/p' $f)
	plines=$(grep -c '^  P[0-9]*: ' $f)
	mlines=$(grep -c '^M[0-9]*: ' $ms)
	ran=$(sed -n 's/^  P[0-9]*: .* ran=\([0-9]*\) .*/\1/p' $f |
	      awk '{ s += $1 } END { print s + 0 }')
	echo "debugfs: nprocs=${np:-none} (want $1), $plines P lines, $mlines M lines, ran=$ran (want >= $2)"
	[ "$np" = "$1" ] && [ "$plines" = "$np" ] && [ "$mlines" -ge "$np" ] &&
		[ "$ran" -ge "$2" ]
}

step load_kgo insmod $MODS/kgo.ko
step dev_kgo_is_world_rw_char_device is_char_dev_0666 /dev/kgo
step kgoctl_version kgoctl version
# Every transport of kgoctl's bench once, briefly: a smoke test of the
# tool, not a measurement (make bench measures).
step kgoctl_bench_smoke kgoctl bench --runs 1 --rounds 200 --msgs 2000 \
	--cap 64 --spawn 1000
step load_sample insmod $MODS/kgo_sample_hello.ko
step kgo_pinned_while_sample_loaded sh -c '! rmmod kgo 2>/dev/null'
step unload_sample rmmod kgo_sample_hello
# The structured-concurrency samples check their own results at load time
# and print them: the 100th prime is 541; 1^2 + ... + 1000^2 = 333833500.
step load_sample_sieve insmod $MODS/kgo_sample_sieve.ko
step sample_sieve_output sh -c 'dmesg | grep -q "kgo_sample_sieve: primes 91-100: .* 541\$" &&
	dmesg | grep -q "kgo_sample_sieve: first 100 primes ok"'
step unload_sample_sieve rmmod kgo_sample_sieve
# The same sieve with parked Gs, 10,001 of them: the 10,000th prime is
# 104729. Its cost grows with the square of the count (every prime passes
# every filter before it): 10,000 primes take about 2 minutes under TCG on
# a stock kernel, but some 25 under KASAN, where 1,000 (the last 7919)
# prove the same in seconds.
if dmesg | grep -q 'KernelAddressSanitizer initialized'; then
	psieve_n=1000 psieve_last=7919
else
	psieve_n=10000 psieve_last=104729
fi
step load_sample_psieve insmod $MODS/kgo_sample_psieve.ko nprimes=$psieve_n
step sample_psieve_output sh -c "dmesg |
	grep -q 'kgo_sample_psieve: $psieve_n primes by $((psieve_n + 1)) parked Gs in [0-9]* ms, the last $psieve_last\$' &&
	dmesg | grep -q 'kgo_sample_psieve: first $psieve_n primes ok'"
step unload_sample_psieve rmmod kgo_sample_psieve
step load_sample_pipeline insmod $MODS/kgo_sample_pipeline.ko
step sample_pipeline_output sh -c 'dmesg |
	grep -q "kgo_sample_pipeline: 1000 squares through 4 workers: sum 333833500 ok"'
step unload_sample_pipeline rmmod kgo_sample_pipeline
# kgo's tracepoints, where the kernel has tracing (not the lean debug
# kernels): the pipeline sample again, traced.
if trace_available; then
	step tracepoints_in_order trace_pipeline_ok
else
	skip tracepoints_in_order "no tracefs events in this kernel"
fi
# kgo loaded with a P per CPU has run at least kgoctl's 1000 spawned Gs
# and the samples' by now.
step debugfs_sched_line_per_p debugfs_sched_ok "$(nproc)" 1000

# Userspace selftests: each prints its own KTAP document.
for t in /kgo/selftests/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "kgo-guest: selftest $name"
	"$t" >/tmp/$name.ktap 2>&1
	rc=$?
	cat /tmp/$name.ktap
	{ echo "KTAP version 1"; echo "# kgo-suite: $name"
	  sed '/^K\?TAP version/d' /tmp/$name.ktap; } >>"$KGO_RESULTS"
	[ $rc = 0 ] || failed=1
done

if [ -f $MODS/kgo_test.ko ]; then
	# The suites run at load time: once with a P per CPU, once with one P,
	# where a G that blocks or hogs has nowhere else to go.
	# A million parked Gs (kgo_park) take 8 minutes under KASAN and TCG:
	# make check parks 200,000; load it by hand for the full form.
	step load_kunit_module insmod $MODS/kgo_test.ko many_parked=200000
	step kunit_suites_reported kgo_collect_kunit ""
	step unload_kunit_module rmmod kgo_test
	step reload_kgo_nprocs_1 sh -c "rmmod kgo && insmod $MODS/kgo.ko nprocs=1"
	# The slow stress cases prove nothing more with one P: they skip.
	step load_kunit_module_nprocs_1 insmod $MODS/kgo_test.ko quick=1
	step kunit_suites_reported_nprocs_1 kgo_collect_kunit "[nprocs=1]"
	step debugfs_sched_counts_runs_nprocs_1 debugfs_sched_ok 1 1000
	step unload_kunit_module_nprocs_1 rmmod kgo_test
fi

step unload_kgo rmmod kgo
step dev_kgo_gone test ! -e /dev/kgo
# Load/unload cycles catch init/exit paths that only work once.
for i in 1 2 3; do
	step reload_cycle_$i sh -c "insmod $MODS/kgo.ko && rmmod kgo"
done
# The lifecycle steps go out as one KTAP document, after the documents the
# selftests and KUnit wrote while it was being filled.
{ echo "KTAP version 1"; echo "# kgo-suite: guest_lifecycle"; echo "1..$n"
  cat $LIFECYCLE; } >>"$KGO_RESULTS"
exit $failed
