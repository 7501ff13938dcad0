#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel splats in a console log, each with the lines around it;
# print nothing when the log is clean. Exit 0 either way (1 on a bad usage).
#
# Usage: splat-scan.sh CONSOLE_LOG
set -euo pipefail
[ $# = 1 ] && [ -f "$1" ] || { echo "usage: splat-scan.sh CONSOLE_LOG" >&2; exit 1; }

# What counts as a splat. Each is a string the kernel prints only when
# something went wrong.
patterns=(
	'BUG:'                                   # BUG(), KASAN, bad page, ...
	'WARNING:'                               # WARN*(), lockdep reports
	'Oops'                                   # oopses
	'general protection fault'
	'Kernel panic'
	'KASAN'                                  # KASAN reports
	'UBSAN:'                                 # undefined behaviour
	'possible circular locking'              # lockdep
	'inconsistent lock state'
	'possible recursive locking'
	'suspicious RCU usage'
	'lock held when returning to user space'
	'scheduling while atomic'
	'sleeping function called from invalid context'
	'blocked for more than [0-9]+ seconds'   # hung task
	'rcu.*(self-)?detected stall'            # RCU stall
	'soft lockup'
	'hard LOCKUP'
	'unreferenced object 0x'                 # kmemleak suspect
	'list_add corruption|list_del corruption'
	'ODEBUG:'                                # debugobjects
)
regex=$(IFS='|'; echo "${patterns[*]}")
# The boot banner names KASAN when it is built in; that is not a report.
ignore='KernelAddressSanitizer initialized|kasan: KernelAddressSanitizer'

# Strip carriage returns so that the context print stays readable.
hits=$(tr -d '\r' <"$1" | grep -nE -- "$regex" | grep -vE -- "$ignore" || true)
[ -n "$hits" ] || exit 0

echo "$hits" | head -n 20 | sed 's/^/  splat: line /'
first=$(echo "$hits" | head -n1 | cut -d: -f1)
from=$(( first > 5 ? first - 5 : 1 ))
echo "  --- console lines $from-$(( first + 45 )) ---"
tr -d '\r' <"$1" | sed -n "${from},$(( first + 45 ))p" | sed 's/^/  | /'
