#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A guest booted by libvirt with an mdma mdev assigned, the way a user does
# it: `virsh nodedev-create libvirt-xml/nodedev-mdma-1q.xml`, then
# `virsh create` of libvirt-xml/domain-mdma-guest.xml naming that mdev.  The
# guest is `make guest`'s (stock 6.1, plx_dma and dmatest built in, /init
# from tests/l2guest/init.c): it reports as TAP on its serial console, ends
# with "L2-DONE" and reboots, which on_reboot=destroy makes the end of the
# domain.  Its results come back as ours, next to what is checked from the
# outside: the mdev held a PASID while the guest ran and gave it back, the
# IOMMU recorded no fault, the domain is gone, nodedev-destroy removes the
# mdev, and nothing is left behind.  Also reported: the guest's
# boot-to-result time (wall clock, `virsh create` to "L2-DONE").
#
# TAP on stdout; run as root in the lab VM with the lab's modules loaded
# (scripts/guest/check).  The guest's console is kept in
# $LAB_OUT/libvirt-guest-console.log when $LAB_OUT is writable.
# env: L2_TIMEOUT (seconds from `virsh create` to the domain's end, 600)
set -u
cd "$LAB_DIR" || exit 1
. tests/libvirt/tap-checks.sh
. tests/l2guest/l2-report.sh

TIMEOUT=${L2_TIMEOUT:-600}
dom=siov-mdma-guest
run=/run/libvirt/qemu
serial=$WORK/guest-serial.log
name='' uuid=''

# Leave nothing behind, whatever happened: the domain, the mdev.
# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
	{ [ -e $run/$dom.pid ] || [ -e $run/$dom.xml ]; } && virsh -c qemu:///system destroy $dom
	[ -n "$name" ] && [ -e "/sys/bus/mdev/devices/$uuid" ] &&
		virsh -c qemu:///system nodedev-destroy "$name"
	[ -n "${LAB_OUT:-}" ] && [ -w "${LAB_OUT:-/nonexistent}" ] && [ -e $serial ] &&
		cp $serial "$LAB_OUT/libvirt-guest-console.log"
} > /dev/null 2>&1
trap cleanup EXIT

libvirt_start
for f in build/guest/bzImage build/guest/initramfs.cpio.gz; do
	[ -r $f ] || { tap 1 "$f is there (make guest)"; tap_end; exit; }
done
faults_before=$(siov_faults)

vsh nodedev-create "$XMLDIR/nodedev-mdma-1q.xml"
name=$(sed -n "s/^Node device \(mdev_[0-9a-f_]*_${PARENT_ND#pci_}\) created from .*/\1/p" $OUT)
uuid=${name#mdev_}
uuid=${uuid%_"${PARENT_ND#pci_}"}
uuid=${uuid//_/-}
dev=/sys/bus/mdev/devices/$uuid
[ -n "$name" ] && [ -e "$dev" ]
tap $? "nodedev-create nodedev-mdma-1q.xml: mdev ${uuid:-?}"
diag $OUT
[ -e "$dev" ] || { tap_end; exit; }

# The domain, to the guest's report and the domain's end.  libvirt keeps a
# running domain's pid and status files in $run: their going away is the
# domain's end, seen without starting a virsh.
l2_domain_xml $WORK/guest.xml $serial "" "$uuid"
pasids=()
# shellcheck disable=SC2317  # (called by l2_watch)
sample() {
	local p
	read -r p 2>/dev/null < "$dev/siov/pasid" || p=unreadable
	case " ${pasids[*]} " in *" $p "*) ;; *) pasids+=("$p") ;; esac
}
alive() { [ -e $run/$dom.pid ] || [ -e $run/$dom.xml ]; }
l2_watch_start $serial
vsh create $WORK/guest.xml
created=$?
t_create=$(l2_elapsed_ms)
tap $created "virsh create domain-mdma-guest.xml with the mdev: the guest starts"
diag $OUT
echo "# virsh create returned after $(l2_secs "$t_create") s"
if [ $created -eq 0 ]; then
	l2_watch alive sample "$TIMEOUT"
else
	l2_scan
fi
still=0
alive && still=1
l2_read $serial
[ $L2_DONE -eq 1 ]
tap $? "the guest ran to its report (L2-DONE on its serial console within $TIMEOUT s)"
[ $L2_DONE -eq 1 ] || l2_tail 25
l2_results tap
l2_diags
if [ -n "$L2_T_DONE" ]; then
	echo "# L2 boot-to-result (libvirt): $(l2_secs "$L2_T_DONE") s wall clock from virsh create" \
		"to L2-DONE (virsh create took $(l2_secs "$t_create") s; kernel at" \
		"$(l2_secs "${L2_T_KERNEL:-0}") s, init at $(l2_secs "${L2_T_INIT:-0}") s)"
fi
splats=$(l2_splats)
[ "$splats" -eq 0 ]
tap $? "the guest's kernel log has no splat ($splats splat lines)"

seen=()
for p in "${pasids[@]}"; do
	case "$p" in none | unreadable | 0) ;; *) seen+=("$p") ;; esac
done
[ ${#seen[@]} -gt 0 ]
tap $? "the mdev held a PASID while the guest ran (seen: ${pasids[*]})"
# On a timeout the domain is still there: stop it before looking further.
[ $still -eq 1 ] && vsh destroy $dom
read -r p 2>/dev/null < "$dev/siov/pasid" || p=unreadable
case "$p" in none | 0) true ;; *) false ;; esac
tap $? "the mdev gave its PASID back when the guest ended (siov/pasid: $p)"
faults_after=$(siov_faults)
[ "$faults_before" != unknown ] && [ "$faults_before" = "$faults_after" ]
tap $? "no IOMMU fault while the guest ran (siov_iommu faults: $faults_before before, $faults_after after)"

# (libvirt's own device list learns of the removal later, from udev: the
# sysfs entry, mdevctl's state and the PASIDs are what count.)
vsh_seq "list --all --name" "nodedev-destroy $name"
diag $OUT
[ $still -eq 0 ] && seg_ok 1 && ! grep -qx $dom $WORK/seg.1
tap $? "the domain is gone after the guest's reboot (on_reboot=destroy)"
seg_ok 2 && [ ! -e "$dev" ]
tap $? "nodedev-destroy $name removes the mdev"
same_state "after the guest and nodedev-destroy: no mdev, mdevctl config or PASID left behind"

tap_end
