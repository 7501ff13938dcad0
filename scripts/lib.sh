# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for kgo's scripts. Source it; do not run it.
#
# KGO_CACHE    where kernels and the debug build live (default: /var/cache/kgo
#              for root, ~/.cache/kgo otherwise). Never inside the work tree.
# KGO_QUIET    set to 0 to see apt and kernel build output on the terminal.

KGO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${KGO_CACHE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		KGO_CACHE=/var/cache/kgo
	else
		KGO_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/kgo
	fi
fi
export KGO_CACHE
mkdir -p "$KGO_CACHE"

# The kernels kgo supports and tests, by name. Each name maps to Debian
# packages through kgo_headers_meta_pkg. "debug" is built from source.
KGO_STOCK_KERNELS="6.1 6.12 6.12-rt"
KGO_ALL_KERNELS="$KGO_STOCK_KERNELS debug"

kgo_log()  { printf '[kgo] %s\n' "$*" >&2; }
kgo_die()  { printf '[kgo] error: %s\n' "$*" >&2; exit 1; }

# kgo_headers_meta_pkg NAME: the meta package that tracks the headers of NAME.
kgo_headers_meta_pkg() {
	case "$1" in
	6.1)     echo linux-headers-amd64 ;;
	6.12)    echo linux-headers-6.12-amd64 ;;
	6.12-rt) echo linux-headers-6.12-rt-amd64 ;;
	*)       kgo_die "unknown stock kernel '$1'" ;;
	esac
}

# kgo_kernel_release NAME: the release string (uname -r) the meta package of
# NAME currently points at, read from the installed headers meta package.
kgo_kernel_release() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' "$(kgo_headers_meta_pkg "$1")" 2>/dev/null |
	      tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1)
	[ -n "$dep" ] || kgo_die "headers for kernel '$1' are not installed (run scripts/install-prereqs.sh)"
	echo "$dep"
}

# kgo_debug_key: hash of everything the debug kernel build depends on.
kgo_debug_key() {
	{
		cat "$KGO_TOP/scripts/kconfig/debug.config"
		dpkg-query -W -f='${Version}\n' linux-source-6.12 2>/dev/null
		gcc -dumpfullversion 2>/dev/null
		echo "build-recipe-1"
	} | sha256sum | cut -c1-16
}

kgo_debug_dir() { echo "$KGO_CACHE/debug-kernel-$(kgo_debug_key)"; }

# kgo_kdir NAME: the kbuild directory to build modules against for NAME.
kgo_kdir() {
	case "$1" in
	debug) echo "$(kgo_debug_dir)/build" ;;
	*)     echo "/usr/src/linux-headers-$(kgo_kernel_release "$1")" ;;
	esac
}

# kgo_kimage NAME: the bzImage to boot for NAME.
kgo_kimage() {
	case "$1" in
	debug) echo "$(kgo_debug_dir)/build/arch/x86/boot/bzImage" ;;
	*)     echo "$KGO_CACHE/images/$(kgo_kernel_release "$1")/boot/vmlinuz-$(kgo_kernel_release "$1")" ;;
	esac
}

# kgo_kmoddir NAME: the directory holding NAME's own modules (may not exist).
kgo_kmoddir() {
	case "$1" in
	debug) echo "$(kgo_debug_dir)/modules/lib/modules" ;;
	*)     echo "$KGO_CACHE/images/$(kgo_kernel_release "$1")/lib/modules/$(kgo_kernel_release "$1")" ;;
	esac
}

# kgo_prepare_kernel NAME: everything needed before booting NAME with kgo:
# prerequisites, the stock images, the debug kernel if NAME is it, and the
# modules built for NAME (build/NAME/src).
kgo_prepare_kernel() {
	"$KGO_TOP/scripts/install-prereqs.sh"
	"$KGO_TOP/scripts/provision-kernels.sh"
	[ "$1" != debug ] || "$KGO_TOP/scripts/build-debug-kernel.sh" >/dev/null
	"$KGO_TOP/scripts/build-modules.sh" "$1"
}

# kgo_kunit_suites: the KUnit suites kunit/ defines, one "SYMBOL NAME" a
# line: every "struct kunit_suite SYMBOL = {" in kunit/*.c and its .name.
# make check ships the names to the guest, which expects each to report:
# a suite defined but missing from kunit/main.c's kunit_test_suites()
# never registers, and fails there by name. Fails when a suite's .name is
# not a string literal, or when main.c lists a suite not found here.
kgo_kunit_suites() {
	local defs sym
	defs=$(awk '
		/^(static )?struct kunit_suite [A-Za-z0-9_]+ = \{/ {
			sym = $0
			sub(/^(static )?struct kunit_suite /, "", sym)
			sub(/ .*/, "", sym)
			next
		}
		sym != "" && /\.name *= *"/ {
			match($0, /"[^"]*"/)
			print sym, substr($0, RSTART + 1, RLENGTH - 2)
			sym = ""
		}
		sym != "" && /^\};/ {
			printf "%s: %s has no literal .name\n", FILENAME, sym >"/dev/stderr"
			sym = ""
			bad = 1
		}
		END { exit bad }' "$KGO_TOP"/kunit/*.c) || return 1
	# Every suite main.c registers must have been found above.
	for sym in $(sed -n '/kunit_test_suites(/,/);/p' "$KGO_TOP/kunit/main.c" |
		     grep -o '&[A-Za-z0-9_]*' | tr -d '&'); do
		printf '%s\n' "$defs" | grep -q "^$sym " || {
			kgo_log "kunit/main.c registers $sym, whose name was not found in kunit/*.c"
			return 1
		}
	done
	[ -n "$defs" ] && printf '%s\n' "$defs"
}

# A host-side suite's KTAP verdicts (lint.sh, package.sh):
#   kgo_verdicts_begin               start a suite (a temporary file)
#   kgo_record NAME STATUS           "ok N NAME" if STATUS is 0, else
#                                    "not ok N NAME" and KGO_FAILED=1
#   kgo_verdicts_end SUITE KTAP_OUT  append the KTAP document, print the
#                                    verdicts, remove the file
kgo_verdicts_begin() {
	KGO_VERDICTS=$(mktemp)
	KGO_NVERDICTS=0
	KGO_FAILED=0
}

kgo_record() {
	KGO_NVERDICTS=$((KGO_NVERDICTS + 1))
	if [ "$2" = 0 ]; then
		echo "ok $KGO_NVERDICTS $1" >>"$KGO_VERDICTS"
	else
		echo "not ok $KGO_NVERDICTS $1" >>"$KGO_VERDICTS"
		KGO_FAILED=1
	fi
}

kgo_verdicts_end() {
	{ echo "KTAP version 1"; echo "# kgo-suite: $1"; echo "1..$KGO_NVERDICTS"
	  cat "$KGO_VERDICTS"; } >>"$2"
	cat "$KGO_VERDICTS"
	rm -f "$KGO_VERDICTS"
}

# kgo_ksrc_unpack NAME PATTERN...: the files of Debian's linux-source-6.12
# that match the tar PATTERNs (paths below linux-source-6.12/), unpacked
# once into $KGO_CACHE/linux-NAME-VERSION; prints that directory.
kgo_ksrc_unpack() {
	local name=$1 ver dir
	shift
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		kgo_die "linux-source-6.12 is not installed"
	dir="$KGO_CACHE/linux-$name-$ver"
	if [ ! -f "$dir/.done" ]; then
		mkdir -p "$dir"
		tar -xf /usr/src/linux-source-6.12.tar.xz -C "$dir" --strip-components=1 \
			--wildcards "${@/#/linux-source-6.12/}" ||
			kgo_die "cannot unpack $* from linux-source-6.12"
		touch "$dir/.done"
	fi
	echo "$dir"
}
