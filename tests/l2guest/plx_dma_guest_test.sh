#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An mdma mdev driven by an unmodified guest: QEMU in the lab VM boots the
# L2 guest of `make guest` (stock 6.1, configs/l2guest/kernel.config, /init from
# tests/l2guest/init.c) with the mdev assigned through vfio-pci.  In the
# guest the stock plx_dma driver takes the device and the kernel's dmatest
# runs on its channel; the guest reports as TAP on its serial console, which
# this test reads and re-emits as its own results, next to what it checks
# from the outside: the mdev had a PASID while the guest ran and gave it back
# when QEMU exited, the IOMMU recorded no fault, the guest kernel logged no
# splat, and the mdev is gone afterwards.
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
GUEST_TESTS=("plx_dma probed" "dmatest set up" "dmatest")
SPLAT='Kernel panic|BUG: |WARNING: |UBSAN: |general protection fault|Oops: |kernel BUG at|Call Trace:'

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)) failed=1; echo "not ok $n $*"; }

echo "TAP version 13"
echo "1..$((${#GUEST_TESTS[@]} + 7))"

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

# A line of the guest's console as a diagnostic.  A kernel splat of the
# guest is not repeated: this output reaches the lab VM's console, where it
# would read as a splat of the lab kernel.
show() {
	if [[ $1 =~ $SPLAT ]]; then
		echo "# L2: (a kernel splat, in $console)"
	else
		echo "# L2: $1"
	fi
}

# Each remaining result, failed with one reason (nothing else can run).
fail_rest() {
	local total=$((${#GUEST_TESTS[@]} + 7))

	while [ $n -lt $total ]; do not_ok "not run # $1"; done
	exit 1
}

# Sleep without an exec: a fork+exec costs far more than a read timeout on
# a FIFO that nobody writes, and this loop runs while the guest competes
# for the CPU.
mkfifo "$work/tick"
exec {tick}<>"$work/tick"
nap() { read -r -t "$1" -u "$tick" _; }

faults() {
	local key val
	while read -r key val; do
		[ "$key" = faults: ] && { echo "$val"; return; }
	done 2>/dev/null < /sys/kernel/debug/siov_iommu/faults
	echo unknown
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
faults_before=$(faults)

# 2. The guest, to its report.  The kernel has no ACPI: init leaves through
# a reboot, which -no-reboot turns into QEMU's exit.
append="console=ttyS0 panic=-1 ${L2_APPEND:-}"
: > "$console"
exec {con}<"$console"
start=${EPOCHREALTIME/./}
qemu-system-x86_64 -nodefaults -no-user-config -no-reboot -display none -monitor none \
	-machine q35 -accel tcg -smp 1 -m 128 \
	-kernel "$KERNEL" -initrd "$INITRD" -append "$append" \
	-device vfio-pci,sysfsdev="$dev" \
	-serial file:"$console" </dev/null >"$work/qemu.log" 2>&1 &
qpid=$!

# Milliseconds since QEMU started, on the lab VM's clock: the guest's own
# clock is jiffies (no ACPI, so no HPET or PM timer to calibrate the TSC
# against) and falls behind at this speed.
elapsed_ms() { echo $(((${EPOCHREALTIME/./} - start) / 1000)); }
secs() { printf '%d.%01d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# When the guest's kernel, its init and its last result appear on the
# console: read what came since the last call.
partial='' t_kernel='' t_init='' t_result=''
scan_console() {
	local line
	while IFS= read -r -u "$con" line || { partial+=$line; false; }; do
		line=$partial$line partial=''
		case "${line%$'\r'}" in
		*"] Linux version "*) t_kernel=${t_kernel:-$(elapsed_ms)} ;;
		"TAP version "*) t_init=${t_init:-$(elapsed_ms)} ;;
		"ok ${#GUEST_TESTS[@]} "* | "not ok ${#GUEST_TESTS[@]} "*) t_result=$(elapsed_ms) ;;
		esac
	done
}

# While it runs, note every PASID the mdev shows.
pasids=()
while kill -0 "$qpid" 2>/dev/null && [ "$(elapsed_ms)" -lt $((TIMEOUT * 1000)) ]; do
	read -r p 2>/dev/null < "$dev/siov/pasid" || p=unreadable
	case " ${pasids[*]} " in *" $p "*) ;; *) pasids+=("$p") ;; esac
	scan_console
	nap 0.5
done
if kill -0 "$qpid" 2>/dev/null; then
	kill "$qpid"
	wait "$qpid"
	qrc=timeout
else
	wait "$qpid"
	qrc=$?
fi
qpid=''
scan_console
exec {con}<&-
ran=$(secs "$(elapsed_ms)")

# The guest's report, without the serial console's carriage returns.
report=()
[ -r "$console" ] && mapfile -t report < "$console"
report=("${report[@]%$'\r'}")
done_seen=1
for line in "${report[@]}"; do
	[ "$line" = L2-DONE ] && done_seen=0
done
if [ $done_seen -eq 0 ] && [ "$qrc" = 0 ]; then
	ok "L2 guest ran to its report"
else
	not_ok "L2 guest ran to its report # QEMU: ${qrc}, after ${ran} s; console: $console"
	tail -n 5 "$work/qemu.log" | sed 's/^/# qemu: /'
	first=$((${#report[@]} > 25 ? ${#report[@]} - 25 : 0))
	for l in "${report[@]:first}"; do show "$l"; done
fi

# 3... The guest's own results, in order, each failing on its own.
for i in "${!GUEST_TESTS[@]}"; do
	want=$((i + 1)) line=
	for l in "${report[@]}"; do
		case "$l" in "ok $want "* | "not ok $want "*) line=$l; break ;; esac
	done
	case "$line" in
	"ok $want "*) ok "L2: ${line#"ok $want "}" ;;
	"not ok $want "*) not_ok "L2: ${line#"not ok $want "}" ;;
	*) not_ok "L2: ${GUEST_TESTS[$i]} # the guest never reported it" ;;
	esac
done
# The guest's diagnostics: interrupt kind, dmatest's lines, its uptime.
for l in "${report[@]}"; do
	case "$l" in "# "*) show "${l#"# "}" ;; esac
done
if [ -n "$t_result" ]; then
	echo "# L2 boot-to-result: $(secs "$t_result") s wall clock from QEMU's start" \
		"(kernel at $(secs "${t_kernel:-0}") s, init at $(secs "${t_init:-0}") s), QEMU ran $ran s"
fi

splats=0
for l in "${report[@]}"; do
	[[ $l =~ $SPLAT ]] && splats=$((splats + 1))
done
if [ $splats -eq 0 ]; then
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

faults_after=$(faults)
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
exit $failed
