#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check, once everything is built: the host-side static tier, one VM
# boot that runs every in-guest tier, and the tally.  The last line printed
# is 'N passed, N failed, N skipped'; the exit status is non-zero when
# anything failed.
#
# usage: check.sh KDIR TESTED_VERSION   (FAIL_DEMO=... selects a deliberate failure)
set -uo pipefail
kdir=$1 tested=${2:-unknown}
out=build/check
mkdir -p "$out"

t0=$(date +%s)
echo "  STATIC  checkpatch --strict on patches/ and our C files; libvirt-xml/ against libvirt's schemas;"
echo "          every program we run from a package of scripts/deps.sh; the kernel tree's drift handling"
scripts/static-check.sh "$kdir" > "$out/static.tap"
scripts/xml-check.sh > "$out/xml.tap"
python3 scripts/deps-check.py --kdir "$kdir" > "$out/deps.tap"
tests/host/kernel_tree_drift.sh > "$out/drift.tap"
t1=$(date +%s)

scripts/vm.sh check "$out/vm"
vm_status=$?
t2=$(date +%s)

result=$(python3 scripts/tally.py --kdir "$kdir" --tap "static=$out/static.tap" \
	--tap "xml=$out/xml.tap" --tap "deps=$out/deps.tap" --tap "drift=$out/drift.tap" --vm "$out/vm" --vm-status $vm_status)
rc=$?
printf '%s\n' "$result" | head -n -1
grep -h '^not ok\|^# ' "$out/static.tap" "$out/xml.tap" "$out/deps.tap" "$out/drift.tap" | grep -v '^# ok' | head -40
boot=$(cat "$out/vm/boot-seconds" 2>/dev/null || echo '?')
# The kernel tree's base commit says which Debian source it was unpacked from.
built=$(git -C "$kdir" log -1 --format=%s base 2>/dev/null | sed -n 's/.*(Debian linux-source-6.1 \(.*\))$/\1/p')
echo "kernel: $(make -s -C "$kdir" kernelversion 2>/dev/null) from Debian linux-source-6.1 ${built:-unknown}" \
	"(the series was last tested on $tested$([ "${built:-}" = "$tested" ] || echo '; see README, "linux-source drift"'))"
echo "timing: static tier $((t1 - t0)) s, VM $((t2 - t1)) s (boot to first test: ${boot} s guest uptime)"
[ -s "$out/vm/times" ] &&
	echo "slowest in the VM: $(sort -k2,2nr "$out/vm/times" | head -n 6 | awk '{printf "%s%s %d s", (NR > 1 ? ", " : ""), $1, $2}')"
if [ $rc -ne 0 ]; then
	echo "---- last 30 lines of the console ($out/vm/console.log) ----"
	tail -n 30 "$out/vm/console.log" 2>/dev/null
	# The first word of each failing program, and the harness's own errors,
	# last: a CI log that keeps only its tail still says what broke first.
	echo "---- the first diagnostics of each failing test program ----"
	for f in "$out"/vm/tap/*.tap; do
		[ -f "$f" ] && grep -q '^not ok' "$f" || continue
		echo "$(basename "$f" .tap):"
		grep -m 4 '^#  *[^ ]' "$f" | grep -v '^# *\(RUN\|OK\|PASSED\|FAILED\|Totals\)' | sed 's/^/  /'
	done
	if [ -s "$out/vm/errors" ]; then
		echo "---- harness errors ($out/vm/errors) ----"
		head -n 20 "$out/vm/errors"
	fi
	echo "----"
fi
printf '%s\n' "$result" | tail -n 1
exit $rc
