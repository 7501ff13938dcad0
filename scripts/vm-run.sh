#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel in QEMU (TCG) with an initramfs holding busybox, a payload
# directory (modules, test binaries) and a guest script; collect the console
# log and the results port; always power off; fail on any kernel splat.
#
# Usage: vm-run.sh -k KERNEL -g GUEST_SCRIPT -o OUTDIR [-p PAYLOAD_DIR]
#                  [-s SMP] [-m MEM] [-t TIMEOUT_S] [-v]
#   KERNEL   6.1 | 6.12 | 6.12-rt | debug | a path to a bzImage
#   OUTDIR   gets console.log (everything the kernel and guest printed) and
#            results.ktap (what the guest wrote on its results port, then
#            the harness's own KTAP verdict on the run)
#   -v       stream the console to the terminal while the VM runs
# Exit status: the guest script's, or 1 on a splat, a crash or a timeout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel= guest= out= payload= smp=4 mem=2G tmo=900 verbose=0
# A boot that has not reached the guest script by then is wedged: the
# slowest kernel here (KASAN, 4 vCPUs on 2 loaded cores) needs ~60 s.
boot_tmo=${KGO_BOOT_TIMEOUT:-300}
while getopts "k:g:o:p:s:m:t:v" opt; do
	case "$opt" in
	k) kernel=$OPTARG ;; g) guest=$OPTARG ;; o) out=$OPTARG ;;
	p) payload=$OPTARG ;; s) smp=$OPTARG ;; m) mem=$OPTARG ;;
	t) tmo=$OPTARG ;; v) verbose=1 ;;
	*) sed -n '5,14s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] && [ -n "$guest" ] && [ -n "$out" ] ||
	{ sed -n '5,14s/^# \{0,1\}//p' "$0" >&2; exit 2; }

case "$kernel" in
*/*) image=$kernel ;;
*)   image=$(kgo_kimage "$kernel") ;;
esac
[ -f "$image" ] || kgo_die "no kernel image $image (run scripts/provision-kernels.sh)"
command -v qemu-system-x86_64 >/dev/null || kgo_die "qemu-system-x86_64 missing"
[ -x /bin/busybox ] || kgo_die "/bin/busybox missing (busybox-static)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out/console.log" results="$out/results.ktap"
rm -f "$log" "$results" "$out/console.boot-failure.log" "$out/console.int3-flake.log"

# --- initramfs ---
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp makes it 0700: the guest's / would shut out every user but root.
chmod 0755 "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,kgo}
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$KGO_TOP/scripts/guest/init" "$root/init"
install -m 0755 "$guest" "$root/guest.sh"
install -m 0644 "$KGO_TOP/scripts/guest/lib.sh" "$root/guest-lib.sh"
basename "$guest" >"$root/guest.name"
[ -z "$payload" ] || cp -a "$payload"/. "$root/kgo/"
# The kernel opens /dev/console before /init runs; only root can mknod, and
# without it init still redirects once devtmpfs is mounted.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

# --- boot ---
# oops=panic + panic=-1 + -no-reboot: a crashed kernel ends the VM at once
# instead of letting the host timeout find it. la57=off: with 5-level paging
# the KASAN kernel can take an interrupt in early boot (identify_cpu) before
# its shadow covers the new mappings, a wild-access report that is TCG's
# and not kgo's.
append="console=ttyS0,115200 panic=-1 oops=panic nokaslr rdinit=/init"
qemu=(qemu-system-x86_64 -nodefaults -display none -no-reboot
      -machine pc -cpu max,la57=off -smp "$smp" -m "$mem"
      -kernel "$image" -initrd "$out/initramfs.cpio.gz" -append "$append"
      -serial "file:$log" -serial "file:$results")
# Wait for QEMU; kill it if the guest script has not started within
# $boot_tmo seconds. Sets qrc (timeout's status; 125 for a boot hang).
wait_qemu() {
	local pid=$1 waited=0
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$booted" = 0 ]; then
			if grep -q '^kgo-guest: running' "$log" 2>/dev/null; then
				booted=1
			elif [ "$waited" -ge "$boot_tmo" ]; then
				# timeout(1) passes TERM on to QEMU.
				kill -TERM "$pid" 2>/dev/null || true
				wait "$pid" 2>/dev/null || true
				qrc=125
				return
			fi
		fi
		sleep 1
		waited=$((waited + 1))
	done
	set +e
	wait "$pid"
	qrc=$?
	set -e
}

boot() {
	local tailpid= qpid
	rm -f "$log" "$results"
	booted=0
	if [ "$verbose" = 1 ]; then
		: >"$log"
		tail -n +1 -f "$log" &
		tailpid=$!
	fi
	timeout --kill-after=10 "$tmo" "${qemu[@]}" </dev/null >"$out/qemu.out" 2>&1 &
	qpid=$!
	wait_qemu "$qpid"
	[ -z "$tailpid" ] || { sleep 0.5; kill "$tailpid" 2>/dev/null; wait "$tailpid" 2>/dev/null || true; }
}

# int3_flake LOG: is LOG's first kernel splat the int3 oops of QEMU's
# text-patching race at kgo's first load? See "TCG and text patching" in
# Documentation/testing.rst. The first load of kgo in a boot enables the
# preempt-notifier static key, which rewrites __schedule() and
# finish_task_switch() with int3-based text_poke_bp(); QEMU before 8.1 can
# keep a translation of the transient int3 after it is gone, and the CPU
# that runs it dies with "int3: 0000 [#1]" in one of those functions.
# Recognised only when all of these hold: the oops is the first splat of
# the log; its report (RIP, call trace) names __schedule,
# finish_task_switch or text_poke; its module list names kgo (loading or
# loaded); and kgo had not finished loading more than once before it.
# Prints the oops's RIP line when it is the flake.
int3_flake() {
	local f=$1 at report
	at=$(tr -d '\r' <"$f" | grep -n -m1 -E 'int3: [0-9a-f]{4} \[#[0-9]+\]' | cut -d: -f1)
	[ -n "$at" ] || return 1
	# No splat before it (splat-scan prints nothing for a clean log).
	head -n "$((at - 1))" "$f" >"$out/.before-int3.log"
	[ -z "$("$KGO_TOP/scripts/splat-scan.sh" "$out/.before-int3.log")" ] || return 1
	[ "$(head -n "$at" "$f" | grep -c 'kgo: version .* loaded')" -le 1 ] || return 1
	report=$(tr -d '\r' <"$f" | sed -n "${at},$((at + 120))p")
	printf '%s\n' "$report" | grep -qE '__schedule|finish_task_switch|text_poke' || return 1
	printf '%s\n' "$report" | grep -qE 'Modules linked in:.* kgo(\(|$| )' || return 1
	printf '%s\n' "$report" | grep -m1 -o 'RIP: .*' || echo "RIP: ?"
}

start=$(date +%s)
retried=
boot
# Two failures that are QEMU's, not kgo's, get one more boot, said aloud
# (here and as a "# kgo-retry:" line in the results, which
# scripts/ktap-summary.py and scripts/bench.sh print); the failed console
# stays beside the new one. A second failure fails the run.
# - A kernel that dies or hangs before the guest script starts has not run
#   any kgo code: under multi-threaded TCG, boot-time text patching (int3)
#   is racy and now and then oopses or wedges a stock kernel (seen: a 6.1
#   boot stuck in an initcall for 900 s).
# - The same race at kgo's first load: int3_flake above.
if [ "$qrc" != 124 ] && [ "$qrc" != 137 ] && ! grep -q '^kgo-guest: running' "$log"; then
	mv "$log" "$out/console.boot-failure.log"
	why="died"
	[ "$qrc" != 125 ] || why="did not reach the guest script in ${boot_tmo}s"
	retried="the kernel $why before the guest started (QEMU TCG boot-time text patching); first console: console.boot-failure.log"
elif rip=$(int3_flake "$log"); then
	mv "$log" "$out/console.int3-flake.log"
	retried="int3 oops at kgo's first load ($rip): QEMU TCG's text-patching race, not kgo; first console: console.int3-flake.log"
fi
rm -f "$out/.before-int3.log"
if [ -n "$retried" ]; then
	kgo_log "$kernel: RETRY: $retried; booting again"
	boot
fi
secs=$(( $(date +%s) - start ))

# --- verdict ---
guest_rc=$(sed -n 's/^KGO-GUEST-EXIT \([0-9]*\).*/\1/p' "$results" 2>/dev/null | tail -n1)
splats=$("$KGO_TOP/scripts/splat-scan.sh" "$log" || true)
verdict=0
{
	echo "KTAP version 1"
	echo "# kgo-suite: vm"
	echo "# kernel=$kernel smp=$smp seconds=$secs qemu_status=$qrc"
	[ -z "$retried" ] || echo "# kgo-retry: booted twice: $retried"
	echo "1..3"
	if [ "$qrc" = 125 ]; then
		echo "not ok 1 vm_powered_off # boot did not reach the guest script in ${boot_tmo}s, twice"
	elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "not ok 1 vm_powered_off # timed out after ${tmo}s"
	elif [ -z "$guest_rc" ]; then
		echo "not ok 1 vm_powered_off # the guest never reported (crash or panic?)"
	else
		echo "ok 1 vm_powered_off"
	fi
	if [ -z "$splats" ]; then
		echo "ok 2 console_free_of_kernel_splats"
	else
		echo "not ok 2 console_free_of_kernel_splats"
	fi
	if [ "${guest_rc:-1}" = 0 ]; then
		echo "ok 3 guest_script_succeeded"
	else
		echo "not ok 3 guest_script_succeeded # status ${guest_rc:-none}"
	fi
} >>"$results"

if [ "$qrc" = 124 ] || [ "$qrc" = 125 ] || [ "$qrc" = 137 ] || [ -z "$guest_rc" ]; then
	kgo_log "$kernel: the VM did not finish cleanly (qemu status $qrc); console tail:"
	tail -n 40 "$log" >&2
	verdict=1
fi
if [ -n "$splats" ]; then
	kgo_log "$kernel: kernel splat in the console log ($log):"
	printf '%s\n' "$splats" >&2
	verdict=1
fi
if [ "${guest_rc:-1}" != 0 ]; then
	[ "$verdict" = 1 ] || kgo_log "$kernel: guest script failed with status ${guest_rc:-none}"
	verdict=1
fi
kgo_log "$kernel: VM ran ${secs}s, guest status ${guest_rc:-none}, console log $log"
[ "$verdict" = 0 ] || exit 1
exit "${guest_rc:-1}"
