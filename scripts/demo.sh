#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the stock 6.12 kernel in a 2-CPU QEMU VM with kgo loaded
# and show it working (scripts/guest/demo.sh), streaming the VM's console.
# KGO_DEMO_KERNEL picks another kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=${KGO_DEMO_KERNEL:-6.12}
out="$KGO_TOP/build"
kgo_prepare_kernel "$k"
make -s -C "$KGO_TOP/tools" STATIC=1 O="$out/tools"

payload="$out/$k/demo-payload"
rm -rf "$payload"
mkdir -p "$payload/modules" "$payload/bin"
cp "$out/$k"/src/*/*.ko "$out/$k/src/tools/bench/kgo_bench.ko" "$payload/modules/"
cp "$out/tools/kgoctl" "$out/tools/examples/kgo_relay" "$payload/bin/"
kgo_log "booting $k with kgo (console follows)"
"$KGO_TOP/scripts/vm-run.sh" -v -k "$k" -g "$KGO_TOP/scripts/guest/demo.sh" \
	-o "$out/$k/demo" -p "$payload" -s 2
