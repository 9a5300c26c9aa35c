#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that `make check` turns red on each kind of failure: run it once per
# deliberate failure (tests/faildemo) and require a non-zero exit and the
# expected reason in its output.  Not part of the default `make check`.
#
# usage: check-faildemo.sh KDIR [MODE...]
set -uo pipefail
kdir=$1
shift
declare -A expect=(
	[kunit]='FAIL  kunit/lab_faildemo/faildemo_fails'
	[panic]='deliberate panic'
	[oops]='(BUG: kernel NULL pointer dereference|general protection fault).*'
	# (KASAN's shadow check turns the NULL store into a general protection fault)
	[warn]='WARNING: .*lab_faildemo'
	[lockdep]='WARNING: possible circular locking dependency detected'
	[kasan]='BUG: KASAN: slab-out-of-bounds'
	[leak]='kmemleak finds nothing.*unreferenced object'
	[hang]='the guest finished its script.*timeout'
)
pass=0 fail=0
for mode in ${*:-kunit panic oops warn lockdep kasan leak hang}; do
	log=build/check/faildemo-$mode.log
	timeout=1200
	[ "$mode" = hang ] && timeout=120
	FAIL_DEMO=$mode LAB_TIMEOUT=$timeout scripts/check.sh "$kdir" > "$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -Eq -- "${expect[$mode]}" "$log" &&
	   tail -n1 "$log" | grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed'; then
		echo "ok    FAIL_DEMO=$mode turns make check red: $(grep -Em1 -o -- "${expect[$mode]}" "$log" | head -n1 | cut -c1-100)"
		pass=$((pass + 1))
	else
		echo "FAIL  FAIL_DEMO=$mode: exit $rc, expected '${expect[$mode]}' (log: $log)"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
