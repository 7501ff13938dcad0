#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the kgo debug kernel (lockdep, KASAN, kmemleak, KUnit) from Debian's
# linux-source-6.12 once and cache it under $KGO_CACHE, keyed by the config
# fragment, the source package version and the compiler. A warm run only
# prints the cached directory.
#
# Usage: build-debug-kernel.sh     (prints the cache directory on stdout)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(kgo_debug_dir)
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || kgo_die "$tarball missing (apt-get install linux-source-6.12)"

mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

log="$dir/build.log"
kgo_log "building the debug kernel into $dir (once; 15-25 minutes on 2 cores; log: $log)"
start=$(date +%s)
rm -rf "$dir/build" "$dir/modules"
mkdir -p "$dir/build"
tar -xf "$tarball" -C "$dir/build" --strip-components=1
frag="$KGO_TOP/scripts/kconfig/debug.config"
cp "$frag" "$dir/debug.config"
(
	cd "$dir/build"
	make x86_64_defconfig kvm_guest.config
	scripts/kconfig/merge_config.sh -m .config "$dir/debug.config"
	make olddefconfig
) >"$log" 2>&1 || { tail -n 30 "$log" >&2; kgo_die "configuring the debug kernel failed"; }

# Kconfig drops options whose dependencies are unmet without a word: check
# every line of the fragment made it.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx -- "$line" "$dir/build/.config" ||
			{ kgo_log "fragment option not in final .config: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$dir/build/.config"; then
			kgo_log "fragment option still set: $opt"; missing=1
		fi ;;
	esac
done <"$frag"
[ "$missing" = 0 ] || kgo_die "debug config fragment not honoured (see above)"

jobs=$(nproc)
if ! (cd "$dir/build" && make -j"$jobs" bzImage modules &&
      make INSTALL_MOD_PATH="$dir/modules" modules_install) >>"$log" 2>&1; then
	tail -n 40 "$log" >&2
	kgo_die "building the debug kernel failed"
fi
touch "$dir/.done"
kgo_log "debug kernel built in $(( $(date +%s) - start ))s"
echo "$dir"
