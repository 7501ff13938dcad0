#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kgo's lint: checkpatch.pl --strict on every C source and header (minus the
# justified exceptions in scripts/checkpatch.allow), kernel-doc on the public
# headers and exported functions, and a W=1 + sparse build of the modules for
# every supported kernel (scripts/build-modules.sh), mandoc -Tlint on the
# man pages in Documentation/man, and the Sphinx build of Documentation/
# (scripts/docs.sh).
#
# Usage: lint.sh [KTAP_OUT]   also writes the verdicts as KTAP to KTAP_OUT
set -uo pipefail
. "$(dirname "$0")/lib.sh"

ktap=${1:-/dev/null}
kgo_verdicts_begin
trap 'rm -f "$KGO_VERDICTS"' EXIT
record() { kgo_record "$@"; }

# checkpatch.pl, kernel-doc and their data files come from Debian's
# linux-source-6.12, unpacked once into the cache.
ksrc_tools() {
	kgo_ksrc_unpack scripts 'scripts/*' 'Documentation/dev-tools/checkpatch.rst'
}

sources() {
	(cd "$KGO_TOP" && git ls-files -co --exclude-standard -- \
		'module/*.[ch]' 'include/*.h' 'kunit/*.[ch]' 'samples/*.[ch]' 'tools/*.[ch]')
}

# ignores_for FILE: the checkpatch types the allow-list excuses for FILE.
ignores_for() {
	local file=$1 glob types
	[ -f "$KGO_TOP/scripts/checkpatch.allow" ] || return 0
	while read -r glob types _; do
		case "$glob" in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2254
		case "$file" in $glob) echo "$types" ;; esac
	done <"$KGO_TOP/scripts/checkpatch.allow" | paste -sd, -
}

run_checkpatch() {
	local ks=$1 f ign rc=0 out
	for f in $(sources); do
		ign=$(ignores_for "$f")
		out=$(cd "$KGO_TOP" && perl "$ks/scripts/checkpatch.pl" --strict --no-tree \
			--quiet --show-types --no-summary --terse ${ign:+--ignore "$ign"} -f "$f") ||
			rc=1
		[ -z "$out" ] || { printf '%s\n' "$out" >&2; rc=1; }
	done
	return $rc
}

run_kernel_doc() {
	local ks=$1 out
	out=$(cd "$KGO_TOP" && perl "$ks/scripts/kernel-doc" -none -Wall \
		include/kgo/*.h include/uapi/kgo/*.h module/*.c 2>&1)
	[ -z "$out" ] || { printf '%s\n' "$out" >&2; return 1; }
}

# mandoc -Tlint -W warning on every man page: any message fails.
run_man_lint() {
	local out
	command -v mandoc >/dev/null ||
		{ echo "mandoc is not installed (scripts/install-prereqs.sh)" >&2; return 1; }
	if ! out=$(cd "$KGO_TOP" && mandoc -Tlint -W warning Documentation/man/*.[1-8] 2>&1) ||
		[ -n "$out" ]; then
		printf '%s\n' "$out" >&2
		return 1
	fi
}

ks=$(ksrc_tools)
run_checkpatch "$ks"; record checkpatch_strict $?
run_kernel_doc "$ks"; record kernel_doc $?
# Documentation/ through Sphinx, warnings failing, and design.rst naming
# every file of module/.
"$KGO_TOP/scripts/docs.sh"; record docs_build_and_source_tree $?
run_man_lint; record man_pages_lint $?
for k in $KGO_ALL_KERNELS; do
	# The debug kernel takes 20 minutes to build: lint uses it when it is
	# cached (make check builds it first) and says so when it is not.
	if [ "$k" = debug ] && [ ! -f "$(kgo_debug_dir)/.done" ]; then
		kgo_log "lint: debug kernel not built yet; skipping its W=1 build"
		continue
	fi
	"$KGO_TOP/scripts/build-modules.sh" "$k"
	record "build_${k//[.-]/_}_W1_sparse_clean" $?
done

kgo_verdicts_end lint "$ktap"
exit $KGO_FAILED
