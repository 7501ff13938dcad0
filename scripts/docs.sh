#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build Documentation/ with Sphinx and the kernel's kernel-doc extension,
# into build/docs/html, with every warning an error; and check that
# design.rst's source tree names every file of module/, so that it cannot
# drift from the code again.
#
# Usage: docs.sh     (make docs; make lint runs it too)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

command -v sphinx-build >/dev/null ||
	kgo_die "sphinx-build is missing (apt-get install python3-sphinx)"

# The kernel's Sphinx extensions and kernel-doc, unpacked once.
ks=$(kgo_ksrc_unpack sphinx 'Documentation/sphinx/*' 'scripts/kernel-doc')

failed=0
missing=$(cd "$KGO_TOP" && for f in $(git ls-files -co --exclude-standard -- 'module/*.[ch]'); do
	grep -q "\`\`$f\`\`" Documentation/design.rst || echo "$f"
done)
if [ -n "$missing" ]; then
	kgo_log "Documentation/design.rst's source tree does not name:" $missing
	failed=1
fi

out="$KGO_TOP/build/docs"
rm -rf "$out"
mkdir -p "$out"
if ! KGO_KSPHINX="$ks/Documentation/sphinx" KGO_KERNEL_DOC="$ks/scripts/kernel-doc" \
	sphinx-build -q -W --keep-going -b html -d "$out/doctrees" \
	"$KGO_TOP/Documentation" "$out/html" >"$out/sphinx.log" 2>&1; then
	cat "$out/sphinx.log" >&2
	kgo_log "the documentation does not build cleanly"
	failed=1
fi
[ "$failed" = 0 ] && kgo_log "documentation built: $out/html/index.html"
exit $failed
