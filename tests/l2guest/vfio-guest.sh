# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests/l2guest/*_test.sh: mdevs driven by an unmodified guest.
# QEMU in the lab VM boots the L2 guest of `make guest` (stock 6.1,
# configs/l2guest/kernel.config, /init from tests/l2guest/*.c) with mdevs
# assigned through vfio-pci; its init runs the suites the test names
# (L2_TESTS) and reports as TAP on its serial console, which is read
# (tests/l2guest/l2-report.sh) and re-emitted as the test's own results,
# next to what is checked from the outside: each mdev had a PASID while the
# guest ran and gave it back when QEMU exited, the IOMMU recorded no fault,
# the guest kernel logged no splat, and the mdevs are gone afterwards.
#
#   vfio_guest_test "TYPE..." SUITES [APPEND]
#       The whole test, TAP on stdout, for one mdev of each TYPE, each on
#       the first parent with room for one; SUITES is the guest's L2_TESTS
#       and APPEND more of its kernel command line.  Before QEMU starts and
#       after it ended, the test's own hooks run for each mdev, when it
#       defines them: guest_before TYPE DEV and guest_after TYPE DEV (DEV:
#       the mdev's sysfs directory), which report with ok/not_ok; while the
#       guest runs, guest_during runs in the background, and its "ok ..."
#       and "not ok ..." lines become results after the guest's own.  The
#       exit status is the test's.
#
# Runs in the lab VM (scripts/guest/check), from the repository, as root.
# The guest's whole console goes to $LAB_OUT/<test>-console.log when
# $LAB_OUT is set (build/check/vm/ on the host), else to a temporary file.
# env: L2_TIMEOUT (seconds for the whole guest run, default 600),
#      L2_APPEND (extra guest kernel command line, e.g.
#      DMATEST_ITERATIONS=200 DMATEST_BUF_SIZE=16384; see the suites)
cd "$(dirname "$0")/../.." || exit 1
. tests/l2guest/l2-report.sh

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)) failed=1; echo "not ok $n $*"; }
# shellcheck disable=SC2317  # (called by l2_results)
emit() { if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi; }

vfio_guest_test() {
	local types=$1 suites=$2 append=${3:-} timeout=${L2_TIMEOUT:-600}
	local kernel=build/guest/bzImage initrd=build/guest/initramfs.cpio.gz
	local name parent avail type t f i p qrc ran splats faults_before faults_after
	local devargs=()

	name=$(basename "$0" .sh)
	echo "TAP version 13"
	VG_WORK=$(mktemp -d /tmp/l2guest.XXXXXX)
	if [ -n "${LAB_OUT:-}" ] && [ -d "$LAB_OUT" ] && [ -w "$LAB_OUT" ]; then
		VG_CONSOLE=$LAB_OUT/${name%_test}-console.log
	else
		VG_CONSOLE=$VG_WORK/console.log
	fi
	VG_UUIDS=() VG_DEVS=() VG_TYPES=() VG_QPID='' VG_DPID=''
	trap vg_cleanup EXIT

	for f in "$kernel" "$initrd"; do
		[ -r "$f" ] || vg_fail_rest "$f missing (make guest)"
	done
	[ -e /dev/vfio/vfio ] || vg_fail_rest "no /dev/vfio/vfio"

	# 1. Each mdev on the first parent that has room for one.
	for type in $types; do
		local uuid
		parent=
		for t in /sys/class/mdev_bus/*/mdev_supported_types/"$type"; do
			read -r avail 2>/dev/null < "$t/available_instances" || continue
			[ "$avail" -gt 0 ] && { parent=$t; break; }
		done
		read -r uuid < /proc/sys/kernel/random/uuid
		if [ -z "$parent" ] || ! echo "$uuid" > "$parent/create"; then
			not_ok "mdev $type created # no parent with room for one, or create failed"
			vg_fail_rest "no $type mdev"
		fi
		parent=${parent#/sys/class/mdev_bus/}
		ok "mdev $type created"
		echo "# mdev $uuid on ${parent%%/*}"
		VG_UUIDS+=("$uuid") VG_DEVS+=("/sys/bus/mdev/devices/$uuid") VG_TYPES+=("$type")
		devargs+=(-device vfio-pci,sysfsdev="/sys/bus/mdev/devices/$uuid")
	done
	faults_before=$(siov_faults)
	if declare -F guest_before > /dev/null; then
		for i in "${!VG_DEVS[@]}"; do guest_before "${VG_TYPES[i]}" "${VG_DEVS[i]}"; done
	fi

	# 2. The guest, to its report.  The kernel has no ACPI: init leaves
	# through a reboot, which -no-reboot turns into QEMU's exit.
	append="console=ttyS0 panic=-1 L2_TESTS=$suites $append ${L2_APPEND:-}"
	l2_watch_start "$VG_CONSOLE"
	qemu-system-x86_64 -nodefaults -no-user-config -no-reboot -display none -monitor none \
		-machine q35 -accel tcg -smp 1 -m 128 \
		-kernel "$kernel" -initrd "$initrd" -append "$append" "${devargs[@]}" \
		-serial file:"$VG_CONSOLE" </dev/null >"$VG_WORK/qemu.log" 2>&1 &
	VG_QPID=$!
	# The test's own work while the guest runs, in the background.
	VG_DPID=''
	if declare -F guest_during > /dev/null; then
		guest_during > "$VG_WORK/during" 2>&1 &
		VG_DPID=$!
	fi

	# While it runs, note every PASID each mdev shows.
	VG_PASIDS=()
	l2_watch vg_alive vg_sample "$timeout"
	if vg_alive; then
		kill "$VG_QPID"
		wait "$VG_QPID"
		qrc=timeout
	else
		wait "$VG_QPID"
		qrc=$?
	fi
	VG_QPID=''
	vg_during_end
	ran=$(l2_secs "$L2_RAN_MS")

	# The guest's report: its results as ours, in order, then its
	# diagnostics.
	l2_read "$VG_CONSOLE"
	if [ $L2_DONE -eq 1 ] && [ "$qrc" = 0 ]; then
		ok "L2 guest ran to its report"
	else
		not_ok "L2 guest ran to its report # QEMU: ${qrc}, after ${ran} s; console: $VG_CONSOLE"
		tail -n 5 "$VG_WORK/qemu.log" | sed 's/^/# qemu: /'
		l2_tail 25
	fi
	l2_results emit
	l2_diags
	[ -e "$VG_WORK/during" ] && l2_replay "$VG_WORK/during" emit
	if [ -n "$L2_T_DONE" ]; then
		echo "# L2 boot-to-result: $(l2_secs "$L2_T_DONE") s wall clock from QEMU's start" \
			"(kernel at $(l2_secs "${L2_T_KERNEL:-0}") s, init at $(l2_secs "${L2_T_INIT:-0}") s), QEMU ran $ran s"
	fi

	splats=$(l2_splats)
	if [ "$splats" -eq 0 ]; then
		ok "L2 kernel log has no splat"
	else
		not_ok "L2 kernel log has no splat # $splats splat lines in $VG_CONSOLE"
	fi

	# Each mdev's PASID: one while QEMU held the device, none after.
	for i in "${!VG_DEVS[@]}"; do
		echo "# PASIDs of the ${VG_TYPES[i]} mdev while the guest ran:${VG_PASIDS[i]:- none}"
		if [ -n "${VG_PASIDS[i]:-}" ]; then
			ok "${VG_TYPES[i]} mdev had a PASID while the guest ran"
		else
			not_ok "${VG_TYPES[i]} mdev had a PASID while the guest ran"
		fi
		read -r p 2>/dev/null < "${VG_DEVS[i]}/siov/pasid" || p=unreadable
		case "$p" in none | 0) ok "${VG_TYPES[i]} mdev gave its PASID back when QEMU exited" ;;
		*) not_ok "${VG_TYPES[i]} mdev gave its PASID back when QEMU exited # siov/pasid: $p" ;;
		esac
	done

	faults_after=$(siov_faults)
	if [ "$faults_before" != unknown ] && [ "$faults_before" = "$faults_after" ]; then
		ok "no IOMMU fault while the guest ran"
	else
		not_ok "no IOMMU fault while the guest ran # siov_iommu faults: $faults_before before, $faults_after after"
	fi
	if declare -F guest_after > /dev/null; then
		for i in "${!VG_DEVS[@]}"; do guest_after "${VG_TYPES[i]}" "${VG_DEVS[i]}"; done
	fi

	for i in "${!VG_DEVS[@]}"; do
		echo 1 > "${VG_DEVS[i]}/remove"
		if [ -e "${VG_DEVS[i]}" ]; then
			not_ok "${VG_TYPES[i]} mdev removed"
		else
			ok "${VG_TYPES[i]} mdev removed"
		fi
	done
	echo "1..$n"
	return $failed
}

# The guest is gone: give guest_during 30 s to finish what it was doing.
vg_during_end() {
	local i
	[ -n "$VG_DPID" ] || return 0
	for ((i = 0; i < 60; i++)); do
		kill -0 "$VG_DPID" 2>/dev/null || break
		l2_nap 0.5
	done
	kill "$VG_DPID" 2>/dev/null
	wait "$VG_DPID" 2>/dev/null
	VG_DPID=''
}

# Leave nothing behind, whatever happened: QEMU, the mdevs, the work files.
# shellcheck disable=SC2317  # (run by the EXIT trap)
vg_cleanup() {
	local d
	[ -n "$VG_QPID" ] && kill "$VG_QPID" 2>/dev/null && wait "$VG_QPID" 2>/dev/null
	[ -n "${VG_DPID:-}" ] && kill "$VG_DPID" 2>/dev/null && wait "$VG_DPID" 2>/dev/null
	for d in "${VG_DEVS[@]}"; do
		[ -e "$d" ] && echo 1 > "$d/remove"
	done
	rm -rf "$VG_WORK"
}

# Everything else fails with one reason (nothing else can run).
vg_fail_rest() {
	not_ok "L2 guest ran to its report # not run: $1"
	echo "1..$n"
	exit 1
}

# shellcheck disable=SC2317  # (called by l2_watch)
vg_sample() {
	local i p
	for i in "${!VG_DEVS[@]}"; do
		read -r p 2>/dev/null < "${VG_DEVS[i]}/siov/pasid" || continue
		case "$p" in none | 0) ;; *) [[ " ${VG_PASIDS[i]:-} " == *" $p "* ]] || VG_PASIDS[i]+=" $p" ;; esac
	done
}

vg_alive() { kill -0 "$VG_QPID" 2>/dev/null; }
