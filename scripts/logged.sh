#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a noisy command (a kernel build) with its output appended to a log.
# On failure print what matters (error lines, else the tail) and one line
# naming the log, instead of a wall of make output.
#
# usage: logged.sh LOG COMMAND...
log=$1; shift
mkdir -p "$(dirname "$log")"
echo "+ $*" >> "$log"
"$@" >> "$log" 2>&1 && exit 0
rc=$?
start=$(grep -n '^+ ' "$log" | tail -1 | cut -d: -f1)
errors=$(tail -n +"$start" "$log" | grep -E 'error:|ERROR:|Error [0-9]+|No space left|\*\*\*' | head -20)
echo "${errors:-$(tail -n 20 "$log")}" >&2
echo "error: '$*' failed (exit $rc); full log: $log" >&2
exit $rc
