#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make bench`, run by scripts/guest/init inside the VM
# (2 CPUs). Loads kgo and kgo_bench.ko with different parameters, one
# measurement run per load, and copies every "kgo-bench:" line the module
# prints to $KGO_RESULTS as a KTAP diagnostic ("# kgo-bench: ..."), with
# one KTAP result per run. The host (scripts/bench.sh) computes the ratios.
# Exit status 0 iff every run completed; a ratio never fails anything.
#
# Payload layout (/kgo): modules/kgo.ko, modules/kgo_bench.ko and
# bench.conf (shell assignments overriding the defaults below).

MODS=/kgo/modules
ITEMS=100000		# spawn: items per run
REPS=5			# measured repetitions of everything
GS=64			# imbalance: CPU-bound Gs per run
G_MS=5			# imbalance: milliseconds of work per G
MEM_ITEMS=50000		# memory: Gs queued
PP_ITEMS=2000		# pingpong: round trips per run
BUF_ITEMS=200000	# buffered: values per run
SEL_ITEMS=200000	# select: receives per run
UCHAN_ROUNDS=5000	# userspace: process round trips per run
UCHAN_MSGS=100000	# userspace: values per stream run
UCHAN_CAP=8192		# userspace: stream channel capacity (a pipe's 64 KiB)
GO_ROUNDS=200000	# Go's goroutine ping-pong: round trips per run
PARK_MEM_ITEMS=100000	# parked: Gs (and goroutines) parked for the memory row
PARK_ITEMS=1000000	# parked: Gs (and goroutines) parked and released per run
PARK_REPS=3		# parked: park/release runs (the first one cold)
SIEVE_PRIMES=10000	# sieve: primes to find
SIEVE_REPS=1		# sieve: runs of each
# shellcheck disable=SC1091
[ -f /kgo/bench.conf ] && . /kgo/bench.conf

R=$KGO_RESULTS
failed=0
n=0
STEP=/tmp/bench-step.log
: >/tmp/bench-dmesg.log

echo "KTAP version 1" >"$R"
echo "# kgo-suite: bench" >"$R"
echo "# kgo-bench: env kernel=$(uname -r) cpus=$(nproc) items=$ITEMS reps=$REPS gs=$GS g_ms=$G_MS mem_items=$MEM_ITEMS pp_items=$PP_ITEMS buf_items=$BUF_ITEMS sel_items=$SEL_ITEMS uchan_rounds=$UCHAN_ROUNDS uchan_msgs=$UCHAN_MSGS uchan_cap=$UCHAN_CAP go_rounds=$GO_ROUNDS park_mem_items=$PARK_MEM_ITEMS park_items=$PARK_ITEMS park_reps=$PARK_REPS sieve_primes=$SIEVE_PRIMES sieve_reps=$SIEVE_REPS" >"$R"

say() { echo "kgo-bench-guest: $*"; }

# result OK NAME: one KTAP result line.
result() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n $2" >"$R"
	else
		echo "not ok $n $2" >"$R"
		failed=1
	fi
}

# unload MODULE: rmmod, retrying while its last Gs drop their pins.
unload() {
	i=0
	while [ $i -lt 50 ]; do
		grep -q "^$1 " /proc/modules || return 0
		rmmod "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	say "cannot unload $1:"
	grep "^$1 " /proc/modules
	return 1
}

# load_kgo NPROCS: (re)load kgo with NPROCS Ps (0 = one per CPU).
load_kgo() {
	unload kgo_bench && unload kgo || return 1
	insmod $MODS/kgo.ko nprocs="$1" || return 1
	[ "$1" = 0 ] || [ "$(cat /sys/module/kgo/parameters/nprocs)" = "$1" ]
}

# bench NAME ARGS...: load kgo_bench.ko with ARGS (one run), unload it,
# copy its lines to the results; one KTAP result NAME.
bench() {
	name=$1
	shift
	ok=1
	dmesg -c >>/tmp/bench-dmesg.log
	say "$name: insmod kgo_bench.ko $*"
	insmod $MODS/kgo_bench.ko "$@" || ok=0
	dmesg -c >"$STEP"
	cat "$STEP" >>/tmp/bench-dmesg.log
	# RENAME: a sed script for the copied lines (a run's own impl name).
	sed -n 's/^.*kgo-bench: /# kgo-bench: /p' "$STEP" | sed "${RENAME:-}" >"$R"
	grep -q 'kgo-bench: done .*status=0 wedged=0' "$STEP" || ok=0
	! grep -q 'kgo-bench: error' "$STEP" || ok=0
	unload kgo_bench || ok=0
	[ $ok = 1 ] || say "$name: FAILED"
	result $ok "$name"
	[ $ok = 1 ]
}

# The loop speed of this VM, so that a G's work is G_MS long here.
load_kgo 1 || { say "cannot load kgo"; result 0 load_kgo; exit 1; }
bench calibrate mode=calibrate
per_ms=$(sed -n 's/.*kgo-bench: calibrate .*iters_per_ms=\([0-9]*\).*/\1/p' "$STEP")
work=$((${per_ms:-0} * G_MS))
[ "$work" -gt 0 ] || work=200000
[ "$work" -lt 4000000000 ] || work=4000000000
echo "# kgo-bench: imbalance-work iters_per_ms=${per_ms:-?} work=$work" >"$R"

# Memory per queued G, with nprocs=1: the slab cache kgo_g, merged or not.
slab=/sys/kernel/slab/kgo_g
if [ -L "$slab" ]; then
	target=$(basename "$(readlink "$slab")")
	echo "# kgo-bench: slabcache merged=1 target=$target aliases=$(cat $slab/aliases)" >"$R"
elif [ -d "$slab" ]; then
	echo "# kgo-bench: slabcache merged=0 aliases=$(cat $slab/aliases)" >"$R"
else
	echo "# kgo-bench: slabcache missing=1" >"$R"
fi
bench memory mode=memory items="$MEM_ITEMS"

# Imbalance: nprocs=1 and nprocs=2 alternately, one run per load. Before
# the spawn runs, which load kgo hardest: a kgo hang there ends the rest.
rep=1
while [ $rep -le "$REPS" ]; do
	for np in 1 2; do
		if load_kgo $np; then
			bench "imbalance_nprocs${np}_rep$rep" mode=imbalance \
				gs="$GS" work="$work" reps=1 warmup=1 ref=1
		else
			result 0 "load_kgo_nprocs$np"
		fi
	done
	rep=$((rep + 1))
done

# Spawn throughput, with a P per CPU: one submitter, then one per CPU.
if load_kgo 0; then
	# What the G descriptors of the spawn runs left behind: slab objects
	# in use with no G live (reported only when both runs completed).
	spawn_ok=1
	bench spawn_1_submitter mode=spawn submitters=1 items="$ITEMS" reps="$REPS" ||
		spawn_ok=0
	bench spawn_per_cpu_submitters mode=spawn submitters=0 items="$ITEMS" reps="$REPS" ||
		spawn_ok=0
	if [ $spawn_ok = 1 ] && [ -d $slab ]; then
		echo "# kgo-bench: after-spawn objects=$(cut -d' ' -f1 $slab/objects)" >"$R"
	fi
else
	result 0 load_kgo_nprocs_all
fi

# Channels, with a P per CPU, on a fresh kgo. Last, being the newest code:
# a run that hangs here costs no other results.
if load_kgo 0; then
	bench chan_pingpong mode=pingpong items="$PP_ITEMS" reps="$REPS"
	# What a G's brief spin before blocking gives: the same without it.
	spin=$(cat /sys/module/kgo/parameters/wait_spin_ns)
	echo 0 >/sys/module/kgo/parameters/wait_spin_ns
	RENAME='s/impl=\([a-z]*\) /impl=\1_nospin /' bench chan_pingpong_nospin \
		mode=pingpong items="$PP_ITEMS" reps="$REPS"
	echo "$spin" >/sys/module/kgo/parameters/wait_spin_ns
	bench chan_buffered mode=buffered items="$BUF_ITEMS" reps="$REPS"
	bench chan_select mode=select items="$SEL_ITEMS" reps="$REPS"
else
	result 0 load_kgo_nprocs_all_chan
fi

# userspace NAME CMD...: run CMD, copy its "kgo-bench:" lines to the
# results; one KTAP result NAME.
userspace() {
	name=$1
	shift
	say "$name: $*"
	ok=1
	"$@" >"$STEP" 2>&1 || ok=0
	cat "$STEP"
	sed -n 's/^kgo-bench: /# kgo-bench: /p' "$STEP" >"$R"
	[ $ok = 1 ] || say "$name: FAILED"
	result $ok "$name"
}

# sieve_kgo REP: the psieve sample (parked Gs) finding SIEVE_PRIMES primes;
# its "N primes by M parked Gs in MS ms, the last P" line as a sieve record.
sieve_kgo() {
	ok=1
	dmesg -c >>/tmp/bench-dmesg.log
	say "sieve_kgo_rep$1: insmod kgo_sample_psieve.ko nprimes=$SIEVE_PRIMES"
	insmod $MODS/kgo_sample_psieve.ko nprimes="$SIEVE_PRIMES" || ok=0
	dmesg -c >"$STEP"
	cat "$STEP" >>/tmp/bench-dmesg.log
	sed -n "s/^.*kgo_sample_psieve: \([0-9]*\) primes by [0-9]* parked Gs in \([0-9]*\) ms, the last \([0-9]*\)\$/# kgo-bench: sieve impl=kgo primes=\1 rep=$1 ms=\2 last=\3/p" \
		"$STEP" >"$R"
	grep -q "kgo_sample_psieve: first $SIEVE_PRIMES primes ok" "$STEP" || ok=0
	unload kgo_sample_psieve || ok=0
	[ $ok = 1 ] || say "sieve_kgo_rep$1: FAILED"
	result $ok "sieve_kgo_rep$1"
}

# Parked Gs against Go's goroutines, a P per CPU (Go's GOMAXPROCS is the
# CPU count too), on a fresh kgo: memory per parked G, parking and
# releasing PARK_ITEMS, and the prime sieve; kgo and Go alternate.
if load_kgo 0; then
	# Go's goroutine ping-pong first: the anchor of the parked ping-pong
	# row and of the userspace round-trip table.
	userspace go_pingpong /kgo/bin/pingpong-go -n "$GO_ROUNDS" -runs "$REPS"
	bench parked_memory mode=parked items="$PARK_MEM_ITEMS" reps=1 warmup=0
	userspace go_parked_memory /kgo/bin/parked-go -mode memory -n "$PARK_MEM_ITEMS"
	bench parked_release mode=parked items="$PARK_ITEMS" reps="$PARK_REPS" warmup=0
	userspace go_parked_release /kgo/bin/parked-go -mode release \
		-n "$PARK_ITEMS" -runs "$PARK_REPS"
	rep=1
	while [ $rep -le "$SIEVE_REPS" ]; do
		sieve_kgo $rep
		userspace "sieve_go_rep$rep" /kgo/bin/parked-go -mode sieve \
			-primes "$SIEVE_PRIMES" -rep $rep
		rep=$((rep + 1))
	done
else
	result 0 load_kgo_nprocs_all_parked
fi

# Userspace: channel fds between two processes against pipes and
# eventfds, on a fresh kgo (Go's goroutine ping-pong, the anchor, ran with
# the parked Gs above).
if load_kgo 0; then
	userspace kgoctl_bench /kgo/bin/kgoctl bench --raw --runs "$REPS" \
		--rounds "$UCHAN_ROUNDS" --msgs "$UCHAN_MSGS" --cap "$UCHAN_CAP" --spawn "$ITEMS"
else
	result 0 load_kgo_nprocs_all_userspace
fi

unload kgo_bench && unload kgo || failed=1
echo "1..$n" >"$R"
say "finished, status $failed"
exit $failed
