#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing kgo needs. On Debian 12 as root it
# installs the missing packages (adding bookworm-backports for the 6.12
# kernels) and is silent and quick when everything is there. Anywhere else it
# names what is missing and fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Debian package -> a file or command that proves it is installed (for the
# non-Debian report).
KGO_PACKAGES="
build-essential:gcc
bc:bc
bison:bison
flex:flex
libelf-dev:/usr/include/libelf.h
libssl-dev:/usr/include/openssl/ssl.h
dwarves:pahole
sparse:sparse
cpio:cpio
xz-utils:xz
gzip:gzip
kmod:modinfo
perl:perl
python3:python3
python3-sphinx:sphinx-build
rsync:rsync
util-linux:flock
busybox-static:/bin/busybox
qemu-system-x86:qemu-system-x86_64
golang-go:go
dkms:dkms
mandoc:mandoc
gcc-multilib:/usr/include/x86_64-linux-gnu/gnu/stubs-32.h
linux-source-6.12:/usr/src/linux-source-6.12.tar.xz
linux-headers-amd64:
linux-headers-6.12-amd64:
linux-headers-6.12-rt-amd64:
"

missing_pkgs() {
	local entry pkg
	for entry in $KGO_PACKAGES; do
		pkg=${entry%%:*}
		dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			echo "$pkg"
	done
}

report_missing_elsewhere() {
	local entry pkg probe miss=0
	for entry in $KGO_PACKAGES; do
		pkg=${entry%%:*}; probe=${entry#*:}
		[ -n "$probe" ] || continue
		case "$probe" in
		/*) [ -e "$probe" ] && continue ;;
		*)  command -v "$probe" >/dev/null 2>&1 && continue ;;
		esac
		kgo_log "missing: $probe (Debian package $pkg)"
		miss=1
	done
	kgo_log "also needed: Debian 12's kernel headers and images for 6.1, 6.12 and 6.12-rt"
	[ "$miss" = 0 ] || kgo_die "install the above, or run this on Debian 12 as root"
	kgo_die "kgo's kernel provisioning needs Debian 12 (apt) to fetch its test kernels"
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! grep -q '^12' /etc/debian_version 2>/dev/null; then
	report_missing_elsewhere
fi

todo=$(missing_pkgs)
[ -z "$todo" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	kgo_die "missing Debian packages (run as root, or: sudo apt-get install $(echo $todo))"
fi

if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" \
		>/etc/apt/sources.list.d/kgo-backports.list
fi
kgo_log "installing: $(echo $todo)"
export DEBIAN_FRONTEND=noninteractive
log="$KGO_CACHE/apt.log"
# Other configured repositories may be unreachable: only Debian's matter.
apt-get update -q >"$log" 2>&1 || kgo_log "apt-get update reported errors (see $log); trying anyway"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $todo >>"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; kgo_die "apt-get install failed (log: $log)"; }
todo=$(missing_pkgs)
[ -z "$todo" ] || kgo_die "still missing after install: $todo"
