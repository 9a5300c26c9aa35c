#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pieces of the L2 guest image (make guest): the small stock-6.1 guest that
# QEMU inside the lab VM boots with an mdev assigned (tests/l2guest).
#
#   guest-image.sh tree KDIR SRC
#       Put the unpatched kernel source, tag "base" of the lab's tree KDIR,
#       in SRC (a plain directory, built in-tree).  A no-op while SRC holds
#       that same base; a new base replaces SRC.
#   guest-image.sh initramfs SRC OUT INIT_C...
#       Build the INIT_C files as one static /init and pack it, with
#       /dev/console, into the gzipped cpio OUT, with SRC's usr/gen_init_cpio.
set -euo pipefail

die() { echo "error: guest-image.sh: $*" >&2; exit 1; }

tree() {
	local kdir=$1 src=$2 base
	base=$(git -C "$kdir" rev-parse -q --verify 'base^{commit}') ||
		die "$kdir has no tag base (make tree)"
	[ "$(cat "$src/.lab-base" 2>/dev/null)" = "$base" ] && return 0
	echo "  GUEST   $src: unpatched source of $kdir tag base"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	git -C "$kdir" archive base | tar -x -C "$src.tmp"
	echo "$base" > "$src.tmp/.lab-base"
	mv "$src.tmp" "$src"
}

initramfs() {
	local src=$1 out=$2 dir
	shift 2
	dir=$(dirname "$out")
	[ -x "$src/usr/gen_init_cpio" ] || die "$src/usr/gen_init_cpio missing (build the guest kernel first)"
	${CC:-gcc} -static -Os -s -Wall -Wextra -Werror -o "$dir/init" "$@"
	cat > "$dir/initramfs.list" <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	dir /proc 0755 0 0
	dir /sys 0755 0 0
	file /init $(realpath "$dir/init") 0755 0 0
	EOF
	"$src/usr/gen_init_cpio" -t 0 "$dir/initramfs.list" | gzip -9n > "$out.tmp"
	mv "$out.tmp" "$out"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
tree) [ $# -eq 2 ] || die "usage: tree KDIR SRC"; tree "$@" ;;
initramfs) [ $# -ge 3 ] || die "usage: initramfs SRC OUT INIT_C..."; initramfs "$@" ;;
*) die "unknown command '$cmd' (tree, initramfs)" ;;
esac
