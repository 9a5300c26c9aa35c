#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel tree: unpack Debian's linux-source-6.1 tarball into a git
# repository and apply patches/series on top of it, one commit per patch, so
# a developer can edit the series in the tree and re-export it with
# `make export-patches`.
#
# usage: kernel-tree.sh prepare TREE TARBALL TESTED_VERSION PATCHDIR
#        kernel-tree.sh export  TREE TARBALL TESTED_VERSION PATCHDIR
#        kernel-tree.sh reset   TREE TARBALL TESTED_VERSION PATCHDIR
#        kernel-tree.sh worktree TREE WORKTREE
#
# export writes the tree's commits since "base" to PATCHDIR (one file per
# commit, and series); the cover letter 0000-cover-letter.patch is kept.
# reset drops the tree's own commits and edits and re-applies PATCHDIR.
# worktree keeps WORKTREE, a git worktree of TREE, checked out at TREE's
# HEAD: the same source, for a second kernel built with another config (the
# bench kernel); only the files that changed are touched, so its next build
# is incremental.
#
# The tree remembers the base commit (tag "base") and which patches it holds
# (refs/lab/applied, plus a hash of the series in .git/lab-series).  When the
# series changes, the tree is reset to base and the series re-applied.  A tree
# whose HEAD moved since the last apply (a developer's own commits or edits)
# is never reset: we stop and say how to proceed.
set -euo pipefail

cmd=$1 tree=$2
msg() { printf '%s\n' "$*" >&2; }
die() { msg "error: $*"; exit 1; }

if [ "$cmd" = worktree ]; then
	wt=$3 head=$(git -C "$tree" rev-parse HEAD) || die "$tree is not a kernel tree (make tree)"
	if [ ! -e "$wt/.git" ]; then
		git -C "$tree" worktree prune
		git -C "$tree" worktree add -q --detach "$(realpath -m "$wt")" "$head" ||
			die "could not add the worktree $wt"
		msg "  TREE    $wt: a worktree of $tree at $(git -C "$tree" log -1 --format=%h HEAD)"
	elif [ "$(git -C "$wt" rev-parse HEAD)" != "$head" ]; then
		git -C "$wt" checkout -q --detach --force "$head" || die "could not check out $head in $wt"
		msg "  TREE    $wt: now at $(git -C "$tree" log -1 --format=%h HEAD)"
	fi
	git -C "$tree" diff --quiet HEAD -- ||
		msg "warning: $tree has uncommitted edits; $wt builds its HEAD without them"
	exit 0
fi
tarball=$3 tested=$4 patchdir=$5

[ -r "$tarball" ] || die "$tarball not found: install Debian's linux-source-6.1 (make deps)"
installed=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null || echo unknown)
[ "$installed" = "$tested" ] ||
	msg "warning: linux-source-6.1 is $installed; this series was tested on $tested"

series_hash() {
	local p
	{
		echo "$installed"
		if [ -f "$patchdir/series" ]; then
			while read -r p; do
				case "$p" in ''|'#'*) continue ;; esac
				cat "$patchdir/$p" 2>/dev/null || echo "missing $p"
			done < "$patchdir/series"
		fi
	} | sha256sum | cut -d' ' -f1
}

unpack() {
	local avail
	mkdir -p "$(dirname "$tree")"
	avail=$(df -Pk "$(dirname "$tree")" | awk 'NR==2 {print $4}')
	[ "$avail" -ge $((10 * 1024 * 1024)) ] ||
		die "need 10 GiB free under $(dirname "$tree") for the kernel build, have $((avail / 1024)) MiB"
	msg "  UNPACK  $tarball ($installed) -> $tree"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	git -C "$tree.tmp" init -q
	git -C "$tree.tmp" config user.name "SIOV lab"
	git -C "$tree.tmp" config user.email "lab@localhost"
	git -C "$tree.tmp" config gc.auto 0
	# Debian's .gitignore ignores every top-level entry (its packaging
	# repository holds only debian/); drop that so the tree tracks itself.
	sed -i -e '\#^/\*$#d' -e '\#^!/debian/$#d' "$tree.tmp/.gitignore"
	git -C "$tree.tmp" add -A
	git -C "$tree.tmp" commit -q -m "Linux $(make -s -C "$tree.tmp" kernelversion) (Debian linux-source-6.1 $installed)" \
		-m "Unpacked from $tarball; the Debian packaging rule that ignores every top-level entry is dropped from .gitignore."
	git -C "$tree.tmp" tag base
	mv "$tree.tmp" "$tree"
}

apply_series() {
	local p n=0 out file
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$tree" reset -q --hard base
	[ -f "$patchdir/series" ] || return 0
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -f "$patchdir/$p" ] || die "patches/series names $p, which does not exist"
		if ! out=$(git -C "$tree" am -q --keep-cr "$(realpath "$patchdir/$p")" 2>&1); then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			# git apply names the first file whose hunk failed.
			file=$(printf '%s\n' "$out" | sed -n 's/^error: patch failed: \(.*\):[0-9]*$/\1/p;
				s/^error: \(.*\): does not exist in index$/\1/p' | head -n 1)
			die "patches/$p does not apply to linux-source-6.1 $installed" \
				"(Linux $(make -s -C "$tree" kernelversion)): a hunk for ${file:-an unknown file} fails;" \
				"the series was tested on $tested. To rebase it on $installed: the patches before" \
				"it are applied in $tree; apply it there with 'git am -3', resolve, apply the rest," \
				"then make export-patches. Or pin the tested version while the archive has it:" \
				"apt-get install linux-source-6.1=$tested"
		fi
		n=$((n + 1))
	done < "$patchdir/series"
	msg "  PATCH   $n patches from patches/series applied"
}

record_applied() {
	git -C "$tree" update-ref refs/lab/applied HEAD
	series_hash > "$tree/.git/lab-series"
}

export_series() {
	local f
	git -C "$tree" diff --quiet HEAD -- ||
		die "$tree has uncommitted edits; commit them (one commit per patch) before exporting"
	for f in "$patchdir"/[0-9][0-9][0-9][0-9]-*.patch; do
		if [ "${f##*/}" != 0000-cover-letter.patch ]; then rm -f "$f"; fi
	done
	# Blank context lines as empty lines, not " ": checkpatch reads a
	# git-tracked .patch as a source file and would flag every one.
	git -C "$tree" -c diff.suppressBlankEmpty=true format-patch -q --zero-commit \
		--no-signature -o "$(realpath "$patchdir")" base..HEAD
	{
		echo "# Patch series applied on top of Debian linux-source-6.1, in order."
		(cd "$patchdir" && ls [0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '^0000-cover-letter.patch$') || true
	} > "$patchdir/series"
	record_applied
	msg "  EXPORT  $(($(wc -l < "$patchdir/series") - 1)) patches to $patchdir"
}

case $cmd in
prepare) ;;
export) export_series; exit 0 ;;
reset) rm -f "$tree/.git/lab-series"; git -C "$tree" update-ref -d refs/lab/applied 2>/dev/null || true ;;
*) die "unknown command $cmd" ;;
esac

if ! { [ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify base >/dev/null; }; then
	unpack
fi

want=$(series_hash)
have=$(cat "$tree/.git/lab-series" 2>/dev/null || true)
if [ "$want" = "$have" ]; then exit 0; fi

if git -C "$tree" rev-parse -q --verify refs/lab/applied >/dev/null; then
	[ "$(git -C "$tree" rev-parse HEAD)" = "$(git -C "$tree" rev-parse refs/lab/applied)" ] &&
		git -C "$tree" diff --quiet HEAD -- ||
		die "$tree has commits or edits that are not in patches/; run 'make export-patches' to keep them or 'make kernel-reset' to drop them"
fi
apply_series
record_applied
