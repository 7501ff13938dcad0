#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make demo` (2 CPUs): load kgo; two processes talk
# over channels with select, a ticker and a timeout (kgo_relay); a kernel
# workload spreads CPU-bound Gs over the Ps (kgo_bench.ko mode=imbalance);
# `kgoctl stats` before and after shows where they ran; a client module
# loads and everything unloads cleanly. Exits non-zero if any step fails.
set -e
PATH=/kgo/bin:$PATH
show() { echo; echo "demo\$ $*"; "$@"; }
dmesg -n 1	# keep the kernel's own chatter out of the demo's output

show insmod /kgo/modules/kgo.ko
show sh -c 'dmesg | grep "kgo:"'
show ls -l /dev/kgo
show kgoctl version
show kgoctl stats

echo
echo "demo: two processes, one channel each way, one select over four cases"
show kgo_relay 6

echo
echo "demo: a kernel workload: one G spawns 32 CPU-bound Gs on its own P;"
echo "      idle Ps steal them (see stolen_in and ran per P below)"
show insmod /kgo/modules/kgo_bench.ko mode=imbalance gs=32 work=300000 reps=1 warmup=0
show sh -c 'dmesg | sed -n "s/.*kgo-bench: \(imbalance .*\)/\1/p"'
show rmmod kgo_bench
show kgoctl stats

show insmod /kgo/modules/kgo_sample_hello.ko
show sh -c 'dmesg | grep kgo_sample'
show rmmod kgo_sample_hello
show rmmod kgo
echo
echo "demo: channels between processes with select and timeouts, Gs spread over the Ps, a client module, a clean unload."
