#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install prerequisites, fetch the stock kernels, build (once)
# the debug kernel, lint, build for every kernel, boot each in QEMU and run
# the guest checks (KUnit where the kernel has it, userspace selftests,
# load/unload), then sum every result into one closing line:
#   N passed, N failed[, N skipped][, N retried]
# Exits non-zero on any failure, splat, build warning or missing
# prerequisite.
#
# Environment: KGO_KERNELS (default: all) limits the kernels tested;
# KGO_SMP (default 4) is the VM's CPU count; KGO_VERBOSE=1 streams consoles.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
kernels=${KGO_KERNELS:-$KGO_ALL_KERNELS}
out="$KGO_TOP/build"
mkdir -p "$out"
rm -f "$out"/*.ktap

"$KGO_TOP/scripts/install-prereqs.sh" || exit 1
"$KGO_TOP/scripts/provision-kernels.sh" || exit 1
case " $kernels " in
*" debug "*) "$KGO_TOP/scripts/build-debug-kernel.sh" >/dev/null || exit 1 ;;
esac

failed=0
kgo_log "lint: checkpatch, kernel-doc, W=1 + sparse builds"
"$KGO_TOP/scripts/lint.sh" "$out/lint.ktap" >/dev/null || failed=1
summary_args=("lint=$out/lint.ktap")

kgo_log "packaging: DKMS builds, modules_install, a client module from the kit"
"$KGO_TOP/scripts/package.sh" check "$out/package.ktap" >"$out/package.log" 2>&1 ||
	{ cat "$out/package.log" >&2; failed=1; }
summary_args+=("package=$out/package.ktap")

kgo_log "building userspace tools"
if ! make -s -C "$KGO_TOP/tools" STATIC=1 O="$out/tools" >"$out/tools.log" 2>&1 ||
   grep -q 'warning:' "$out/tools.log"; then
	cat "$out/tools.log" >&2
	kgo_die "userspace tools do not build cleanly"
fi
# The ABI selftests again as 32-bit programs: the ioctls through
# compat_ioctl, the structs' layout as i386 sees it.
KGO_M32_SELFTESTS="kgo_dev_test kgo_chan_test kgo_select_test kgo_poll_test"
if ! make -s -C "$KGO_TOP/tools" STATIC=1 CFLAGS="-O2 -m32" LDFLAGS="-m32" \
	O="$out/tools32" >"$out/tools32.log" 2>&1 ||
   grep -q 'warning:' "$out/tools32.log"; then
	cat "$out/tools32.log" >&2
	kgo_die "userspace tools do not build cleanly with -m32"
fi

# The KUnit suites the guest must see report, from the source: adding a
# suite needs no second list (scripts/lib.sh, kgo_kunit_suites).
kunit_suites=$(kgo_kunit_suites | cut -d' ' -f2) && [ -n "$kunit_suites" ] ||
	kgo_die "cannot list the KUnit suites of kunit/"

for k in $kernels; do
	payload="$out/$k/payload"
	rm -rf "$payload"
	mkdir -p "$payload/modules" "$payload/bin" "$payload/selftests"
	if ! ls "$out/$k"/src/*/*.ko >/dev/null 2>&1; then
		kgo_log "$k: no modules were built; not booting it"
		failed=1
		continue
	fi
	cp "$out/$k"/src/*/*.ko "$payload/modules/"
	printf '%s\n' "$kunit_suites" >"$payload/kunit-suites"
	cp "$out/tools/kgoctl" "$payload/bin/"
	cp "$out/tools/selftests"/* "$payload/selftests/"
	for t in $KGO_M32_SELFTESTS; do
		cp "$out/tools32/selftests/$t" "$payload/selftests/$t-m32"
	done
	kgo_log "$k: booting a ${KGO_SMP:-4}-CPU VM"
	# The debug kernel runs the KUnit stress cases under TCG: minutes.
	tmo=900
	[ "$k" != debug ] || tmo=2400
	"$KGO_TOP/scripts/vm-run.sh" -k "$k" -g "$KGO_TOP/scripts/guest/check.sh" \
		-o "$out/$k/vm" -p "$payload" -s "${KGO_SMP:-4}" -t "$tmo" \
		${KGO_VERBOSE:+-v} || failed=1
	summary_args+=("$k=$out/$k/vm/results.ktap")
	# One CPU is where a blocked or hogging G has nowhere else to go.
	if [ "$k" = debug ]; then
		kgo_log "$k: booting a 1-CPU VM for the KUnit suites"
		"$KGO_TOP/scripts/vm-run.sh" -k "$k" -g "$KGO_TOP/scripts/guest/kunit-smp1.sh" \
			-o "$out/$k/vm-smp1" -p "$payload" -s 1 -t "$tmo" \
			${KGO_VERBOSE:+-v} || failed=1
		summary_args+=("$k-smp1=$out/$k/vm-smp1/results.ktap")
	fi
done

kgo_log "make check took $(( $(date +%s) - start ))s"
"$KGO_TOP/scripts/ktap-summary.py" "${summary_args[@]}" || failed=1
exit $failed
