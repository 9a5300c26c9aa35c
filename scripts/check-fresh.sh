#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-fresh: the proof that scripts/deps.sh names everything the
# build and the tests need.  Build a minimal Debian 12 root (debootstrap
# --variant=minbase from the archive apt here uses), put a clean clone of
# the repository's HEAD in it, and run `make check` inside it as root in a
# chroot, the way the README tells a user on a bare machine: first
# scripts/deps.sh (minbase has no make), then make check.  Nothing of this
# machine's installed packages reaches the root: it gets only the apt
# sources and settings (to reach the same archive), /etc/resolv.conf and
# /etc/hosts, and the kernel's /proc, /sys and /dev.  It passes only when
# the inner `make check` passes.
#
# Caches under build/fresh/cache survive a run, so the next one downloads
# nothing: the .debs of debootstrap and of apt, and ccache's directory.
# FRESH_CLEAN=1 empties them first (a run from nothing).
#
# usage: check-fresh.sh [REPO]        (REPO defaults to this repository)
# Output: progress on stdout, the inner make check's output in
# build/fresh/check.log, figures in build/fresh/times.txt.
set -euo pipefail
lab=$(cd "$(dirname "$0")/.." && pwd)
repo=$(realpath "${1:-$lab}")
fresh=$lab/build/fresh
root=$fresh/root
cache=$fresh/cache
suite=bookworm
msg() { printf '  FRESH   %s\n' "$*"; }
die() { printf 'error: check-fresh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts)"
command -v debootstrap > /dev/null || die "debootstrap is missing (make deps)"

# The archive apt on this machine uses, for debootstrap's first stage.
mirror=$(sed -n 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's|^deb \(http[^ ]*/debian\)/* .*|\1|p' /etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

# Stop what still runs in the root, then unmount everything under it,
# innermost first.  Nothing is removed while anything is still mounted
# there: /dev is bound in.
unmount_root() {
	local m p
	[ -d "$root" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2> /dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2> /dev/null
	done
	for m in $(mounts_under_root | sort -r); do
		umount -l "$m" 2> /dev/null || true
	done
	[ -z "$(mounts_under_root)" ]
}
mounts_under_root() {
	findmnt -rn -o TARGET | awk -v r="$root" '$0 == r || index($0, r "/") == 1'
}
remove_root() {
	unmount_root || die "something is still mounted under $root; not removing it"
	rm -rf --one-file-system "$root"
}
trap 'unmount_root || echo "warning: mounts left under $root" >&2' EXIT

t_start=$(date +%s)
if [ "${FRESH_CLEAN:-0}" = 1 ]; then
	msg "FRESH_CLEAN=1: emptying the caches in $cache"
	rm -rf "$cache"
fi
mkdir -p "$cache/debootstrap" "$cache/apt-archives/partial" "$cache/ccache"
remove_root

msg "debootstrap --variant=minbase $suite $root ($mirror)"
if ! debootstrap --variant=minbase --cache-dir="$cache/debootstrap" "$suite" "$root" "$mirror" \
		> "$fresh/debootstrap.log" 2>&1; then
	tail -n 20 "$fresh/debootstrap.log" >&2
	die "debootstrap failed (log: $fresh/debootstrap.log)"
fi
t_root=$(date +%s)

# The same archive and settings as this machine's apt (a snapshot archive
# needs its Check-Valid-Until setting), and name resolution.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2> /dev/null || true
[ -s /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/"
grep -l 'Check-Valid-Until\|Check-Date' /etc/apt/apt.conf.d/* 2> /dev/null |
	while read -r f; do cp "$f" "$root/etc/apt/apt.conf.d/"; done
cp /etc/resolv.conf /etc/hosts "$root/etc/"
# Packages installed in the root must not start their services here (the
# lab starts what it needs inside its VM): the usual chroot policy.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

# A clean clone of the committed HEAD, where the lab keeps it here.
mkdir -p "$root/work"
git clone -q --no-hardlinks "$repo" "$root/work/lab"
head=$(git -C "$root/work/lab" log -1 --format='%h %s')
msg "clone of $repo at $head"

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/tmp"
mount -t tmpfs tmpfs "$root/run"
mkdir -p "$root/root/.cache/ccache"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
mount --bind "$cache/ccache" "$root/root/.cache/ccache"

msg "make check inside the root (log: ${fresh#"$lab"/}/check.log)"
set +e
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash -c 'cd /work/lab && scripts/deps.sh && make check' \
	< /dev/null > "$fresh/check.log" 2>&1
rc=$?
set -e
t_end=$(date +%s)

last=$(tail -n 1 "$fresh/check.log")
{
	echo "check-fresh: $head"
	echo "root (debootstrap minbase): $((t_root - t_start)) s; inner make check: $((t_end - t_root)) s" \
		"(dependencies, build, tests); total $((t_end - t_start)) s"
	echo "caches: $(du -sh "$cache/apt-archives" | cut -f1) of .debs, $(du -sh "$cache/ccache" | cut -f1) of ccache"
	grep -m 1 '^kernel: ' "$fresh/check.log" || true
	grep -m 1 '^timing: ' "$fresh/check.log" || true
	echo "inner make check: exit $rc, $last"
} > "$fresh/times.txt"
sed 's/^/  /' "$fresh/times.txt"
if [ $rc -ne 0 ]; then
	echo "---- last 30 lines of the inner make check ----"
	tail -n 30 "$fresh/check.log"
	echo "check-fresh: FAILED (make check in a clean Debian root exited $rc)"
	exit 1
fi
echo "check-fresh: passed"
