#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the lab needs, if any is missing.  A no-op (one
# dpkg-query) when everything is present; apt-get only runs for what is
# missing, and apt-get update only when an install is needed.
set -euo pipefail

pkgs=(
	# kernel build
	linux-source-6.1 gcc make flex bison bc libelf-dev libssl-dev kmod rsync
	xz-utils git ccache python3 perl
	# checkpatch (scripts/spdxcheck.py)
	python3-ply python3-git
	# the lab VM and what runs inside it
	qemu-system-x86 pciutils util-linux procps
	# the network mdev's representor: addresses, links and pings
	iproute2 iputils-ping ethtool
	# libvirt in the lab VM (libvirt-daemon does not pull in mdevctl), and
	# virt-xml-validate (libvirt-clients) with xmllint for libvirt-xml/
	libvirt-daemon-system libvirt-clients mdevctl virtinst udev libxml2-utils
	# make menuconfig
	libncurses-dev
	# make check-fresh (a clean Debian root to run make check in)
	debootstrap
)

missing=()
for p in "${pkgs[@]}"; do
	[ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "error: missing Debian packages: ${missing[*]} (run 'make deps' as root, or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "  APT     ${missing[*]}" >&2
log=$(mktemp)
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
	echo "error: apt-get could not install: ${missing[*]} ($(grep -E '^(E|W):' "$log" | head -1))" >&2
	rm -f "$log"
	exit 1
fi
rm -f "$log"
