#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the kernel .config: tinyconfig for x86_64, then the fragments in
# configs/ merged on top, then olddefconfig.  Every option a fragment asks for
# must survive into the final .config; a dependency we forgot fails here, not
# at boot.
#
# usage: kernel-config.sh TREE FRAGMENT...
set -euo pipefail
tree=$1; shift
frags=()
for f in "$@"; do frags+=("$(realpath "$f")"); done
log=$tree/.lab-config.log
{
	make -s -C "$tree" ARCH=x86_64 tinyconfig
	(cd "$tree" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O . .config "${frags[@]}")
	make -s -C "$tree" ARCH=x86_64 olddefconfig
} >"$log" 2>&1 || { tail -20 "$log" >&2; echo "error: kernel configuration failed (log: $log)" >&2; exit 1; }

bad=0
for frag in "${frags[@]}"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) grep -q "^${line%%=*}=" "$tree/.config" || continue ;;
		CONFIG_*=*) want=$line; grep -qx "$want" "$tree/.config" && continue ;;
		*) continue ;;
		esac
		echo "error: $(basename "$frag"): $line did not survive into .config (got: $(grep -E "^(# )?${line%%=*}[= ]" "$tree/.config" || echo nothing))" >&2
		bad=1
	done < "$frag"
done
exit $bad
