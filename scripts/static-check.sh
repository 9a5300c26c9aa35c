#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host-side static tier: scripts/checkpatch.pl --strict over every patch
# in patches/series and every C file and header of ours, as TAP on stdout.
# A clean result is cached by content hash, so an unchanged file costs
# nothing on the next run.  (The W=1 module build is the other half of this
# tier: the Makefile builds our modules with W=1 and -Werror.)
#
# usage: static-check.sh KDIR
set -uo pipefail
kdir=$1
cache=build/static-cache
# checkpatch runs scripts/spdxcheck.py with "env python3": make that Debian's
# python3, which has python3-ply and python3-git.
export PATH=/usr/bin:/bin:$PATH
mkdir -p "$cache"

items=()
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	items+=("patches/$p")
done < patches/series
while IFS= read -r f; do
	items+=("$f")
done < <(git ls-files -co --exclude-standard -- 'drivers/*.[ch]' 'samples/*.[ch]' 'include/*.h' 'tests/*.[ch]' | sort)

echo "TAP version 13"
echo "1..${#items[@]}"
n=0
for f in "${items[@]}"; do
	n=$((n + 1))
	key=$cache/$(sha256sum "$f" "$kdir/scripts/checkpatch.pl" "$0" | sha256sum | cut -c1-32)
	if [ ! -e "$key" ]; then
		# For patches, FILE_PATH_CHANGES ("does MAINTAINERS need
		# updating?") is a question, not a defect: every file the series
		# adds is under a path MAINTAINERS already covers, and the patch
		# that adds it says so.
		args=(--root="$kdir")
		case "$f" in patches/*) args+=(--ignore FILE_PATH_CHANGES) ;; *) args+=(-f) ;; esac
		# A patch goes in on stdin: checkpatch treats any file git
		# tracks as a source file (as with -f), and patches/ is tracked.
		case "$f" in patches/*) input=- ;; *) input=$f ;; esac
		if out=$(perl "$kdir/scripts/checkpatch.pl" --strict --terse --show-types --no-summary \
				"${args[@]}" "$input" < "$f" 2>&1); then
			touch "$key"
		else
			echo "not ok $n - checkpatch $f"
			printf '%s\n' "$out" | sed 's/^/# /'
			continue
		fi
	fi
	echo "ok $n - checkpatch $f"
done
