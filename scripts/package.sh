#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kgo as a package: DKMS, the module install with the kit that client
# modules build against, and the check that make check runs on them.
#
# Usage:
#   package.sh modules-install KDIR
#       kgo.ko (and kgo_test.ko, where the kernel has KUnit), already built
#       in the tree by `make modules`, into
#       $INSTALL_MOD_PATH/lib/modules/KVER/updates/kgo/; then the kit for
#       client modules into $DESTDIR$KGO_SRCDIR: include/kgo/*.h and
#       KVER/Module.symvers (KGO_SRCDIR defaults to /usr/src/kgo-VERSION).
#   package.sh dkms-install [KVER...]
#       the DKMS source tree as /usr/src/kgo-VERSION, then dkms add, build
#       and install for each KVER (default: the running kernel); DKMS
#       rebuilds kgo for every kernel installed later (AUTOINSTALL).
#   package.sh dkms-remove
#       dkms remove --all and the source tree.
#   package.sh check KTAP_OUT
#       make check's packaging suite, on the host, in a scratch directory:
#       dkms build against the 6.1 and 6.12 headers in a private DKMS tree,
#       make modules + modules_install for 6.12 into a staging root, and a
#       client module (a copy of samples/kgo_sample_hello.c) built from the
#       staged kit alone; make install of the tools, and a program built
#       with pkg-config against the installed libkgo.so.1. Writes KTAP;
#       exits non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KGO_VERSION=$(sed -n 's/^#define KGO_RELEASE[[:space:]]*"\(.*\)"/\1/p' \
	"$KGO_TOP/module/main.h")
[ -n "$KGO_VERSION" ] || kgo_die "no KGO_RELEASE in module/main.h"
KGO_SRCDIR=${KGO_SRCDIR:-/usr/src/kgo-$KGO_VERSION}

# kernel_release KDIR: the release string modules built against KDIR carry.
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h"
}

# stage_sources DIR: what DKMS builds (kgo.ko's sources and dkms.conf),
# without build products, into DIR.
stage_sources() {
	local dir=$1
	mkdir -p "$dir" || return 1
	(cd "$KGO_TOP" && git ls-files -co --exclude-standard -- module include |
	 grep -v -e '\.o$' -e '\.ko$' -e '\.mod' -e '\.cmd$' -e 'modules\.order$' \
		 -e 'Module\.symvers$' |
	 cpio -pdm --quiet "$dir") || return 1
	sed "s/@VERSION@/$KGO_VERSION/g" "$KGO_TOP/packaging/dkms.conf.in" >"$dir/dkms.conf"
}

modules_install() {
	local kdir=${1:?usage: package.sh modules-install KDIR} kver dst kit ko
	kver=$(kernel_release "$kdir")
	[ -n "$kver" ] || kgo_die "$kdir: no include/generated/utsrelease.h"
	[ -f "$KGO_TOP/module/kgo.ko" ] || kgo_die "module/kgo.ko is not built (make modules)"
	dst="${INSTALL_MOD_PATH:-}/lib/modules/$kver/updates/kgo"
	install -d "$dst" || return 1
	for ko in module/kgo.ko kunit/kgo_test.ko; do
		[ -f "$KGO_TOP/$ko" ] || continue
		install -m 0644 "$KGO_TOP/$ko" "$dst/" || return 1
		kgo_log "installed $dst/$(basename "$ko")"
	done
	# A staging root has no modules.dep to update: depmod only the real one.
	if [ -z "${INSTALL_MOD_PATH:-}" ] && command -v depmod >/dev/null; then
		depmod -a "$kver" || return 1
	fi
	kit="${DESTDIR:-}$KGO_SRCDIR"
	install -d "$kit/include/kgo" "$kit/include/uapi/kgo" "$kit/$kver" || return 1
	install -m 0644 "$KGO_TOP"/include/kgo/*.h "$kit/include/kgo/" &&
	install -m 0644 "$KGO_TOP"/include/uapi/kgo/*.h "$kit/include/uapi/kgo/" ||
		return 1
	# Only kgo's own exports (the tree's Module.symvers also lists the
	# samples' and tests'), named by the module rather than by the path
	# of the tree it was built in.
	awk -F'\t' -v OFS='\t' '$3 ~ /(^|\/)module\/kgo$/ { $3 = "kgo"; print }' \
		"$KGO_TOP/Module.symvers" >"$kit/$kver/Module.symvers" &&
		[ -s "$kit/$kver/Module.symvers" ] ||
		kgo_die "no kgo exports in $KGO_TOP/Module.symvers"
	kgo_log "installed the client-module kit in $kit (include/kgo, $kver/Module.symvers)"
}

dkms_install() {
	local k
	command -v dkms >/dev/null || kgo_die "dkms is not installed (apt-get install dkms)"
	rm -rf "$KGO_SRCDIR"
	stage_sources "$KGO_SRCDIR" || kgo_die "cannot stage $KGO_SRCDIR"
	dkms add -m kgo -v "$KGO_VERSION" || return 1
	for k in "${@:-$(uname -r)}"; do
		dkms install -m kgo -v "$KGO_VERSION" -k "$k" || return 1
	done
	dkms status kgo
}

dkms_remove() {
	command -v dkms >/dev/null || kgo_die "dkms is not installed"
	dkms remove -m kgo -v "$KGO_VERSION" --all || true
	rm -rf "$KGO_SRCDIR"
}

# --- make check's packaging suite ---

record() { kgo_record "$@"; }

# check_dkms TMP K: dkms builds kgo.ko for kernel K in a private tree.
check_dkms() {
	local tmp=$1 k=$2 kdir kver ko
	kdir=$(kgo_kdir "$k")
	kver=$(kgo_kernel_release "$k")
	dkms build --dkmstree "$tmp/dkms" --sourcetree "$tmp/src" -m kgo \
		-v "$KGO_VERSION" -k "$kver" --kernelsourcedir "$kdir" >"$tmp/dkms-$k.log" 2>&1 ||
		{ tail -n 30 "$tmp/dkms-$k.log" >&2; cat "$tmp"/dkms/kgo/*/build/make.log >&2; return 1; }
	ko=$(find "$tmp/dkms/kgo/$KGO_VERSION/$kver" -name 'kgo.ko*' | head -n1)
	[ -n "$ko" ] || { kgo_log "dkms: no kgo.ko for $kver"; return 1; }
	[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$(kernel_release "$kdir")" ] ||
		{ kgo_log "dkms: $ko has the wrong vermagic"; return 1; }
}

# check_install TMP: make modules + modules_install for 6.12 from a copy of
# the tree into a staging root.
check_install() {
	local tmp=$1 kdir tree=$tmp/tree
	kdir=$(kgo_kdir 6.12)
	mkdir -p "$tree" &&
	(cd "$KGO_TOP" && git ls-files -co --exclude-standard -- Makefile Kbuild module \
		include kunit samples tools/bench scripts packaging |
	 grep -v -e '\.o$' -e '\.ko$' -e '\.mod' -e '\.cmd$' -e 'modules\.order$' \
		 -e 'Module\.symvers$' |
	 cpio -pdm --quiet "$tree") || return 1
	if ! make -C "$tree" KDIR="$kdir" modules >"$tmp/modules.log" 2>&1 ||
	   ! make -C "$tree" KDIR="$kdir" INSTALL_MOD_PATH="$tmp/root" DESTDIR="$tmp/root" \
		modules_install >>"$tmp/modules.log" 2>&1; then
		tail -n 30 "$tmp/modules.log" >&2
		return 1
	fi
	[ -f "$tmp/root/lib/modules/$(kernel_release "$kdir")/updates/kgo/kgo.ko" ] ||
		{ kgo_log "modules_install: no kgo.ko in the staging root"; return 1; }
}

# check_client TMP: a client module outside the tree, built from the kit
# check_install staged and nothing else of kgo's.
check_client() {
	local tmp=$1 kdir kver kit=$tmp/root$KGO_SRCDIR client=$tmp/client
	kdir=$(kgo_kdir 6.12)
	kver=$(kernel_release "$kdir")
	mkdir -p "$client" || return 1
	cp "$KGO_TOP/samples/kgo_sample_hello.c" "$client/" || return 1
	echo 'obj-m := kgo_sample_hello.o' >"$client/Kbuild"
	if ! make -C "$kdir" M="$client" ccflags-y="-I$kit/include" \
		KBUILD_EXTRA_SYMBOLS="$kit/$kver/Module.symvers" modules \
		>"$tmp/client.log" 2>&1 || grep -qE 'WARNING|warning:|error:' "$tmp/client.log"; then
		cat "$tmp/client.log" >&2
		return 1
	fi
	[ "$(modinfo -F depends "$client/kgo_sample_hello.ko")" = kgo ] ||
		{ kgo_log "client: kgo_sample_hello.ko does not depend on kgo"; return 1; }
	kgo_log "client module built from the installed kit: $(modinfo -F depends \
		"$client/kgo_sample_hello.ko" | sed 's/^/depends: /')"
}

# check_libkgo TMP: make install of the tools into a staging root; a
# program built with pkg-config against it links to libkgo.so.1 by its
# soname, through versioned symbols, and runs.
check_libkgo() {
	local tmp=$1 root=$tmp/uroot lib prog=$tmp/kgo_hello
	make -s -C "$KGO_TOP/tools" O="$tmp/tools" >"$tmp/tools.log" 2>&1 &&
	make -s -C "$KGO_TOP/tools" O="$tmp/tools" PREFIX=/usr DESTDIR="$root" \
		install >>"$tmp/tools.log" 2>&1 ||
		{ cat "$tmp/tools.log" >&2; return 1; }
	lib=$root/usr/lib/libkgo.so.1
	[ -f "$lib" ] && [ "$(readlink "$root/usr/lib/libkgo.so")" = libkgo.so.1 ] ||
		{ kgo_log "libkgo: libkgo.so.1 or its libkgo.so link not installed"; return 1; }
	readelf -d "$lib" | grep -q 'SONAME.*\[libkgo\.so\.1\]' ||
		{ kgo_log "libkgo: wrong soname"; return 1; }
	# Every exported function is versioned, and nothing else is exported.
	if objdump -T "$lib" | awk '$2 == "g" && $4 == ".text" && $6 != "KGO_1.0"' | grep -q .; then
		kgo_log "libkgo: unversioned exports"; return 1
	fi
	cat >"$tmp/kgo_hello.c" <<-'EOF'
	#include <errno.h>
	#include <string.h>
	#include <libkgo.h>
	int main(void)
	{
		struct kgo_version_info v;
		int fd = kgo_open();

		/*
		 * Without kgo loaded (the usual build host), kgo_open() fails
		 * cleanly with -ENOENT, which kgo_strerror() words as strerror()
		 * does; kgo's own errors have their own words. With kgo loaded,
		 * the device answers.
		 */
		if (fd < 0)
			return fd == -ENOENT &&
			       !strcmp(kgo_strerror(fd), strerror(ENOENT)) &&
			       strcmp(kgo_strerror(-EPIPE), strerror(EPIPE)) ? 0 : 1;
		return !kgo_version(fd, &v) && v.abi_major == KGO_ABI_VERSION_MAJOR ? 0 : 1;
	}
	EOF
	# shellcheck disable=SC2046
	PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig" \
		cc -o "$prog" "$tmp/kgo_hello.c" $(PKG_CONFIG_SYSROOT_DIR="$root" \
		PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig" pkg-config --cflags --libs libkgo) ||
		return 1
	readelf -d "$prog" | grep -q 'NEEDED.*\[libkgo\.so\.1\]' ||
		{ kgo_log "libkgo: the program does not need libkgo.so.1"; return 1; }
	LD_LIBRARY_PATH="$root/usr/lib" "$prog" ||
		{ kgo_log "libkgo: the program failed"; return 1; }
	for m in kgo.4 libkgo.3 kgoctl.8; do
		[ -f "$root/usr/share/man/man${m##*.}/$m" ] ||
			{ kgo_log "man page $m not installed"; return 1; }
	done
}

check() {
	local ktap=${1:-/dev/null} tmp k
	command -v dkms >/dev/null || kgo_die "dkms is not installed (scripts/install-prereqs.sh)"
	tmp=$(mktemp -d /tmp/kgo-package.XXXXXX)
	kgo_verdicts_begin
	mkdir -p "$tmp/dkms" &&
	stage_sources "$tmp/src/kgo-$KGO_VERSION" &&
		dkms add --dkmstree "$tmp/dkms" --sourcetree "$tmp/src" -m kgo \
			-v "$KGO_VERSION" >"$tmp/dkms-add.log" 2>&1
	record dkms_add $?
	for k in 6.1 6.12; do
		check_dkms "$tmp" "$k"
		record "dkms_build_${k//./_}" $?
	done
	dkms status --dkmstree "$tmp/dkms" kgo
	check_install "$tmp"
	record modules_install_6_12 $?
	check_client "$tmp"
	record client_module_from_installed_kit $?
	check_libkgo "$tmp"
	record libkgo_shared_install $?
	kgo_verdicts_end package "$ktap"
	rm -rf "$tmp"
	return $KGO_FAILED
}

case "${1:-}" in
modules-install) shift; modules_install "$@" ;;
dkms-install)    shift; dkms_install "$@" ;;
dkms-remove)     dkms_remove ;;
check)           shift; check "$@" ;;
*) sed -n '4,24s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
