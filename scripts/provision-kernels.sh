#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch the stock Debian kernel images kgo is tested on into $KGO_CACHE/images
# (apt-get download + dpkg-deb -x: nothing is installed as the host's kernel).
# The image release always matches the installed headers of the same kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

for k in $KGO_STOCK_KERNELS; do
	rel=$(kgo_kernel_release "$k")
	dir="$KGO_CACHE/images/$rel"
	[ -f "$dir/.done" ] && continue
	kgo_log "fetching kernel image $rel"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "linux-image-$rel" >/dev/null 2>&1 ||
	 apt-get download -q "linux-image-$rel-unsigned" >/dev/null 2>&1) ||
		{ rm -rf "$tmp"; kgo_die "cannot download linux-image-$rel"; }
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$dir"
	rm -rf "$tmp"
	[ -f "$dir/boot/vmlinuz-$rel" ] || kgo_die "no vmlinuz in linux-image-$rel"
	touch "$dir/.done"
done
