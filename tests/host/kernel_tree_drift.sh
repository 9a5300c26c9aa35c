#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test of scripts/kernel-tree.sh's drift handling (TAP): when the
# linux-source-6.1 that Debian serves has moved on, a series that still
# applies is applied with a warning naming both versions, and a series that
# no longer applies stops with an error naming the patch, the file whose
# hunk failed, the installed version and the tested one.  It runs on a
# two-file stand-in for the kernel source, so it takes a second.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
tree_sh=$PWD/scripts/kernel-tree.sh
tmp=$(mktemp -d "$PWD/build/drift.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
installed=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null || echo unknown)
tested=6.1.0-lab-tested
n=0
check() {	# check NAME COMMAND...
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out"; fi
}
has() { grep -qF -- "$1" "$tmp/out"; }

# A stand-in source tree, and a patch made against it by git format-patch.
src=$tmp/src
mkdir -p "$src/drivers/iommu"
printf 'kernelversion:\n\t@echo 6.1.999\n' > "$src/Makefile"
printf 'int a;\nint b;\nint c;\n' > "$src/drivers/iommu/iommu.c"
git -C "$src" init -q
git -C "$src" -c user.name=t -c user.email=t@t add -A
git -C "$src" -c user.name=t -c user.email=t@t commit -q -m base
sed -i 's/int b;/int b, aux;/' "$src/drivers/iommu/iommu.c"
git -C "$src" -c user.name=t -c user.email=t@t commit -q -a -m "iommu: add aux"
mkdir -p "$tmp/patches"
git -C "$src" format-patch -q -o "$tmp/patches" HEAD~1
printf '# test series\n%s\n' "$(cd "$tmp/patches" && ls ./*.patch | sed 's|^\./||')" > "$tmp/patches/series"
git -C "$src" checkout -q HEAD~1 -- .
rm -rf "$src/.git"
# Debian's .gitignore ignores every top-level entry; kernel-tree.sh drops that.
printf '/*\n!/debian/\n*.o\n' > "$src/.gitignore"
tar -C "$tmp" -cJf "$tmp/good.tar.xz" src

# The "next Debian version": the line the patch touches has changed.
sed -i 's/int b;/long b;/' "$src/drivers/iommu/iommu.c"
tar -C "$tmp" -cJf "$tmp/moved.tar.xz" src

echo "TAP version 13"
echo "1..4"
"$tree_sh" prepare "$tmp/t1" "$tmp/good.tar.xz" "$tested" "$tmp/patches" > "$tmp/out" 2>&1
rc=$?
check "a series that applies: applied, one commit per patch" \
	[ $rc -eq 0 -a "$(git -C "$tmp/t1" log --format=%s base..HEAD 2>/dev/null)" = "iommu: add aux" ]
check "a version other than the tested one is named with both versions" \
	has "warning: linux-source-6.1 is $installed; this series was tested on $tested"

"$tree_sh" prepare "$tmp/t2" "$tmp/moved.tar.xz" "$tested" "$tmp/patches" > "$tmp/out" 2>&1
rc=$?
patch=$(head -n 2 "$tmp/patches/series" | tail -n 1)
check "a series that no longer applies stops" [ $rc -ne 0 ]
check "its error names the patch, the hunk's file and both versions" \
	eval 'has "patches/$patch does not apply to linux-source-6.1 $installed" &&
		has "a hunk for drivers/iommu/iommu.c fails" && has "tested on $tested"'
