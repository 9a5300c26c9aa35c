#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An mdma mdev driven by an unmodified guest: QEMU in the lab VM boots the
# L2 guest of `make guest` (stock 6.1, configs/l2guest/kernel.config, /init from
# tests/l2guest/init.c) with the mdev assigned through vfio-pci.  In the
# guest the stock plx_dma driver takes the device and the kernel's dmatest
# runs on its channel; the guest reports as TAP on its serial console, which
# this test reads (tests/l2guest/l2-report.sh) and re-emits as its own
# results, next to what it checks from the outside: the mdev had a PASID
# while the guest ran and gave it back when QEMU exited, the IOMMU recorded
# no fault, the guest kernel logged no splat, and the mdev is gone afterwards.
#
# Runs in the lab VM (scripts/guest/check), from the repository, as root.
# The guest's whole console goes to $LAB_OUT/l2guest-console.log when
# $LAB_OUT is set (build/check/vm/ on the host), else to a temporary file.
# env: L2_TIMEOUT (seconds for the whole guest run, default 600),
#      L2_APPEND (extra guest kernel command line, e.g.
#      DMATEST_ITERATIONS=200 DMATEST_BUF_SIZE=16384; see init.c)
set -u
cd "$(dirname "$0")/../.." || exit 1

TYPE=mdma-1q
KERNEL=build/guest/bzImage
INITRD=build/guest/initramfs.cpio.gz
TIMEOUT=${L2_TIMEOUT:-600}
. tests/l2guest/l2-report.sh

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)) failed=1; echo "not ok $n $*"; }
# shellcheck disable=SC2317  # (called by l2_results)
emit() { if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi; }

echo "TAP version 13"

work=$(mktemp -d /tmp/l2guest.XXXXXX)
if [ -n "${LAB_OUT:-}" ] && [ -d "$LAB_OUT" ] && [ -w "$LAB_OUT" ]; then
	console=$LAB_OUT/l2guest-console.log
else
	console=$work/console.log
fi
uuid='' qpid=''

# Leave nothing behind, whatever happened: QEMU, the mdev, the work files.
# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
	[ -n "$uuid" ] && [ -e "/sys/bus/mdev/devices/$uuid" ] &&
		echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
	rm -rf "$work"
}
trap cleanup EXIT

# Everything else fails with one reason (nothing else can run).
fail_rest() {
	not_ok "L2 guest ran to its report # not run: $1"
	echo "1..$n"
	exit 1
}

for f in "$KERNEL" "$INITRD"; do
	[ -r "$f" ] || fail_rest "$f missing (make guest)"
done
[ -e /dev/vfio/vfio ] || fail_rest "no /dev/vfio/vfio"

# 1. An mdma mdev on the first parent that has room for one.
parent=
for t in /sys/class/mdev_bus/*/mdev_supported_types/"$TYPE"; do
	read -r avail 2>/dev/null < "$t/available_instances" || continue
	[ "$avail" -gt 0 ] && { parent=$t; break; }
done
read -r uuid < /proc/sys/kernel/random/uuid
if [ -z "$parent" ] || ! echo "$uuid" > "$parent/create"; then
	uuid=''
	not_ok "mdev $TYPE created # no parent with room for one, or create failed"
	fail_rest "no mdev"
fi
parent=${parent#/sys/class/mdev_bus/}
ok "mdev $TYPE created"
echo "# mdev $uuid on ${parent%%/*}"
dev=/sys/bus/mdev/devices/$uuid
faults_before=$(siov_faults)

# 2. The guest, to its report.  The kernel has no ACPI: init leaves through
# a reboot, which -no-reboot turns into QEMU's exit.
append="console=ttyS0 panic=-1 ${L2_APPEND:-}"
l2_watch_start "$console"
qemu-system-x86_64 -nodefaults -no-user-config -no-reboot -display none -monitor none \
	-machine q35 -accel tcg -smp 1 -m 128 \
	-kernel "$KERNEL" -initrd "$INITRD" -append "$append" \
	-device vfio-pci,sysfsdev="$dev" \
	-serial file:"$console" </dev/null >"$work/qemu.log" 2>&1 &
qpid=$!

# While it runs, note every PASID the mdev shows.
pasids=()
# shellcheck disable=SC2317  # (called by l2_watch)
sample() {
	read -r p 2>/dev/null < "$dev/siov/pasid" || p=unreadable
	case " ${pasids[*]} " in *" $p "*) ;; *) pasids+=("$p") ;; esac
}
alive() { kill -0 "$qpid" 2>/dev/null; }
l2_watch alive sample "$TIMEOUT"
if alive; then
	kill "$qpid"
	wait "$qpid"
	qrc=timeout
else
	wait "$qpid"
	qrc=$?
fi
qpid=''
ran=$(l2_secs "$L2_RAN_MS")

# The guest's report: its results as ours, in order, then its diagnostics
# (interrupt kind, dmatest's lines, its uptime).
l2_read "$console"
if [ $L2_DONE -eq 1 ] && [ "$qrc" = 0 ]; then
	ok "L2 guest ran to its report"
else
	not_ok "L2 guest ran to its report # QEMU: ${qrc}, after ${ran} s; console: $console"
	tail -n 5 "$work/qemu.log" | sed 's/^/# qemu: /'
	l2_tail 25
fi
l2_results emit
l2_diags
if [ -n "$L2_T_DONE" ]; then
	echo "# L2 boot-to-result: $(l2_secs "$L2_T_DONE") s wall clock from QEMU's start" \
		"(kernel at $(l2_secs "${L2_T_KERNEL:-0}") s, init at $(l2_secs "${L2_T_INIT:-0}") s), QEMU ran $ran s"
fi

splats=$(l2_splats)
if [ "$splats" -eq 0 ]; then
	ok "L2 kernel log has no splat"
else
	not_ok "L2 kernel log has no splat # $splats splat lines in $console"
fi

# The mdev's PASID: one while QEMU held the device, none after.
seen=()
for p in "${pasids[@]}"; do
	case "$p" in none | unreadable | 0) ;; *) seen+=("$p") ;; esac
done
echo "# PASIDs of the mdev while the guest ran: ${pasids[*]}"
if [ ${#seen[@]} -gt 0 ]; then
	ok "mdev had a PASID while the guest ran"
else
	not_ok "mdev had a PASID while the guest ran"
fi
read -r p 2>/dev/null < "$dev/siov/pasid" || p=unreadable
case "$p" in none | 0) ok "mdev gave its PASID back when QEMU exited" ;;
*) not_ok "mdev gave its PASID back when QEMU exited # siov/pasid: $p" ;;
esac

faults_after=$(siov_faults)
if [ "$faults_before" != unknown ] && [ "$faults_before" = "$faults_after" ]; then
	ok "no IOMMU fault while the guest ran"
else
	not_ok "no IOMMU fault while the guest ran # siov_iommu faults: $faults_before before, $faults_after after"
fi

echo 1 > "$dev/remove"
if [ -e "$dev" ]; then
	not_ok "mdev removed"
else
	uuid=''
	ok "mdev removed"
fi
echo "1..$n"
exit $failed
