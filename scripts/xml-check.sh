#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of make check: every XML in libvirt-xml/ validated against the
# schemas libvirt ships (virt-xml-validate, libvirt-clients + xmllint), the
# <hostdev> snippet inside a minimal domain, the mdevctl JSON files against
# the format mdevctl 1.2 reads, and the virt-install script's syntax.
# TAP on stdout, one line per file; a failure's output follows it as '# ' lines.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
dir=libvirt-xml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$tmp/out"
	fi
	: > "$tmp/out"
}

echo "TAP version 13"
for f in "$dir"/*.xml; do
	case "$f" in
	*/nodedev-*) schema=nodedev ;;
	*/domain-*) schema=domain ;;
	*/hostdev-*)
		# A <devices> child: validate it inside the smallest domain.
		{
			echo "<domain type='qemu'><name>x</name><memory>65536</memory>"
			echo "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
			cat "$f"
			echo "</devices></domain>"
		} > "$tmp/wrapped.xml"
		virt-xml-validate "$tmp/wrapped.xml" domain > "$tmp/out" 2>&1
		result $? "virt-xml-validate: $f (inside a domain)"
		continue
		;;
	*) schema= ;;
	esac
	virt-xml-validate "$f" $schema > "$tmp/out" 2>&1
	result $? "virt-xml-validate: $f"
done

for f in "$dir"/mdevctl/*.json; do
	python3 - "$f" > "$tmp/out" 2>&1 <<-'EOF'
	import json, sys
	cfg = json.load(open(sys.argv[1]))
	assert set(cfg) <= {'mdev_type', 'start', 'attrs'}, f'unknown keys: {set(cfg)}'
	assert isinstance(cfg['mdev_type'], str) and cfg['mdev_type'], 'mdev_type'
	assert cfg.get('start', 'manual') in ('auto', 'manual'), 'start: auto or manual'
	attrs = cfg.get('attrs', [])
	assert isinstance(attrs, list) and all(isinstance(a, dict) and len(a) == 1 for a in attrs), \
		'attrs: a list of one-entry objects'
	EOF
	result $? "mdevctl JSON: $f"
done

for f in "$dir"/*.sh; do
	bash -n "$f" > "$tmp/out" 2>&1
	result $? "bash -n: $f"
done
echo "1..$n"
