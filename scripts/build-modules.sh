#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build kgo.ko, the KUnit module and the samples for one supported kernel,
# with W=1 and sparse (C=2), in a private copy of the tree under
# build/KERNEL/src (out-of-tree kbuild writes objects next to the sources,
# so each kernel gets its own copy). Fails on any compiler or sparse warning.
#
# Usage: build-modules.sh KERNEL      (6.1 | 6.12 | 6.12-rt | debug)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=${1:?usage: build-modules.sh KERNEL}
kdir=$(kgo_kdir "$k")
[ -f "$kdir/Makefile" ] || kgo_die "$k: no kernel build dir at $kdir"
dst="$KGO_TOP/build/$k"
rm -rf "$dst/src"
mkdir -p "$dst/src"
(cd "$KGO_TOP" && cp -a Kbuild module include kunit samples "$dst/src/" && cp -a --parents tools/bench "$dst/src/")

log="$dst/modules.log"
if ! make -C "$kdir" M="$dst/src" W=1 C=2 modules >"$log" 2>&1; then
	grep -E 'error|warning' "$log" | head -n 30 >&2 || tail -n 30 "$log" >&2
	kgo_die "$k: module build failed (log: $log)"
fi
if grep -qE 'warning:|error:' "$log"; then
	grep -E 'warning:|error:' "$log" | head -n 30 >&2
	kgo_die "$k: module build has warnings (log: $log)"
fi
