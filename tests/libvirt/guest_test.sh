#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A guest booted by libvirt with a DMA, a crypto and a net mdev assigned, the
# way a user does it: `virsh nodedev-create libvirt-xml/nodedev-mdma-1q.xml`,
# `... nodedev-mcrypto-1q.xml` and `... nodedev-mnet-1q.xml` (whose <attr>
# gives the MAC), then `virsh create` of libvirt-xml/domain-mdma-guest.xml
# naming the three.  The guest is `make
# guest`'s (stock 6.1 with plx_dma, dmatest, virtio_crypto and the crypto
# self-tests and virtio_net built in, /init from tests/l2guest/*.c,
# L2_TESTS=dma,crypto,net): it
# reports as TAP on its serial console, ends with "L2-DONE" and reboots,
# which on_reboot=destroy makes the end of the domain.  Its results come back
# as ours, next to what is checked from the outside: each mdev held a PASID
# while the guest ran and gave it back, the IOMMU recorded no fault, the
# domain is gone, nodedev-destroy removes the mdevs, and nothing is left
# behind.  The net mdev's MAC is the XML's, and the lab VM pings the guest and streams TCP both ways
# through the mdev's representor (tests/l2guest/net-peer.sh).  Also reported: the guest's boot-to-result time (wall clock,
# `virsh create` to "L2-DONE").
#
# TAP on stdout; run as root in the lab VM with the lab's modules loaded
# (scripts/guest/check).  The guest's console is kept in
# $LAB_OUT/libvirt-guest-console.log when $LAB_OUT is writable.
# env: L2_TIMEOUT (seconds from `virsh create` to the domain's end, 600)
set -u
cd "$LAB_DIR" || exit 1
. tests/libvirt/tap-checks.sh
. tests/l2guest/l2-report.sh
. tests/l2guest/net-peer.sh

TIMEOUT=${L2_TIMEOUT:-600}
dom=siov-mdma-guest
run=/run/libvirt/qemu
serial=$WORK/guest-serial.log
# The mdevs: nodedev XML, and the parent that XML names.
xmls=(nodedev-mdma-1q.xml nodedev-mcrypto-1q.xml nodedev-mnet-1q.xml)
parents=(pci_5105_00_00_0 pci_5105_00_01_0 pci_5105_00_02_0)
NET=2
names=() uuids=()

# Leave nothing behind, whatever happened: the domain, the mdevs.
# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
	local i
	{ [ -e $run/$dom.pid ] || [ -e $run/$dom.xml ]; } && virsh -c qemu:///system destroy $dom
	for i in "${!uuids[@]}"; do
		[ -e "/sys/bus/mdev/devices/${uuids[i]}" ] &&
			virsh -c qemu:///system nodedev-destroy "${names[i]}"
	done
	[ -n "${LAB_OUT:-}" ] && [ -w "${LAB_OUT:-/nonexistent}" ] && [ -e $serial ] &&
		cp $serial "$LAB_OUT/libvirt-guest-console.log"
} > /dev/null 2>&1
trap cleanup EXIT

libvirt_start
for f in build/guest/bzImage build/guest/initramfs.cpio.gz; do
	[ -r $f ] || { tap 1 "$f is there (make guest)"; tap_end; exit; }
done
faults_before=$(siov_faults)

for i in "${!xmls[@]}"; do
	nd=${parents[i]#pci_}
	vsh nodedev-create "$XMLDIR/${xmls[i]}"
	name=$(sed -n "s/^Node device \(mdev_[0-9a-f_]*_${nd}\) created from .*/\1/p" $OUT)
	uuid=${name#mdev_}
	uuid=${uuid%_"$nd"}
	uuid=${uuid//_/-}
	[ -n "$name" ] && [ -n "$uuid" ] && [ -e "/sys/bus/mdev/devices/$uuid" ]
	tap $? "nodedev-create ${xmls[i]}: mdev ${uuid:-?}"
	diag $OUT
	[ -n "$uuid" ] && [ -e "/sys/bus/mdev/devices/$uuid" ] || { tap_end; exit; }
	names+=("$name") uuids+=("$uuid")
done

# The net mdev: the MAC of the XML's <attr> (a transient mdev's attributes
# are in sysfs only: nodedev_test checks a defined one in mdevctl and
# libvirt); its representor gets the lab's address.
dev=/sys/bus/mdev/devices/${uuids[NET]}
read -r mac < "$dev/mac"
[ "$mac" = "$NET_MAC" ]
tap $? "nodedev-mnet-1q.xml: the mdev's mac attribute is the XML's ($mac)"
net_peer_prepare "$dev"
tap $? "the net mdev's representor is up with $NET_HOST_IP"

# The domain, to the guest's report and the domain's end.  libvirt keeps a
# running domain's pid and status files in $run: their going away is the
# domain's end, seen without starting a virsh.
# (testmgr's fuzzing at a tenth of its default: the QEMU test,
# tests/l2guest/vfio_pci_guest_test.sh, runs it in full.)
l2_domain_xml $WORK/guest.xml $serial \
	"L2_TESTS=dma,crypto,net cryptomgr.fuzz_iterations=10 $NET_APPEND" "${uuids[@]}"
pasids=()
# shellcheck disable=SC2317  # (called by l2_watch)
sample() {
	local i p
	for i in "${!uuids[@]}"; do
		read -r p 2>/dev/null < "/sys/bus/mdev/devices/${uuids[i]}/siov/pasid" || continue
		case "$p" in none | 0) ;; *) [[ " ${pasids[i]:-} " == *" $p "* ]] || pasids[i]+=" $p" ;; esac
	done
}
alive() { [ -e $run/$dom.pid ] || [ -e $run/$dom.xml ]; }
l2_watch_start $serial
vsh create $WORK/guest.xml
created=$?
t_create=$(l2_elapsed_ms)
tap $created "virsh create domain-mdma-guest.xml with the three mdevs: the guest starts"
diag $OUT
net_peer_run "$(< "$dev/netdev")" "$WORK" > "$WORK/net-peer" 2>&1 &
peer=$!
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
# The lab VM's side of the net suite, once it is done (or 30 s at most).
for ((i = 0; i < 60; i++)); do kill -0 "$peer" 2>/dev/null || break; l2_nap 0.5; done
kill "$peer" 2>/dev/null
wait "$peer" 2>/dev/null
peer=
l2_replay "$WORK/net-peer" tap
net_peer_check "$WORK" tap
if [ -n "$L2_T_DONE" ]; then
	echo "# L2 boot-to-result (libvirt): $(l2_secs "$L2_T_DONE") s wall clock from virsh create" \
		"to L2-DONE (virsh create took $(l2_secs "$t_create") s; kernel at" \
		"$(l2_secs "${L2_T_KERNEL:-0}") s, init at $(l2_secs "${L2_T_INIT:-0}") s)"
fi
splats=$(l2_splats)
[ "$splats" -eq 0 ]
tap $? "the guest's kernel log has no splat ($splats splat lines)"

for i in "${!uuids[@]}"; do
	[ -n "${pasids[i]:-}" ]
	tap $? "${xmls[i]#nodedev-}: the mdev held a PASID while the guest ran (seen:${pasids[i]:- none})"
done
# On a timeout the domain is still there: stop it before looking further.
[ $still -eq 1 ] && vsh destroy $dom
for i in "${!uuids[@]}"; do
	read -r p 2>/dev/null < "/sys/bus/mdev/devices/${uuids[i]}/siov/pasid" || p=unreadable
	case "$p" in none | 0) true ;; *) false ;; esac
	tap $? "${xmls[i]#nodedev-}: the mdev gave its PASID back when the guest ended (siov/pasid: $p)"
done
faults_after=$(siov_faults)
[ "$faults_before" != unknown ] && [ "$faults_before" = "$faults_after" ]
tap $? "no IOMMU fault while the guest ran (siov_iommu faults: $faults_before before, $faults_after after)"

# (libvirt's own device list learns of the removal later, from udev: the
# sysfs entry, mdevctl's state and the PASIDs are what count.)
vsh_seq "list --all --name" "nodedev-destroy ${names[0]}" "nodedev-destroy ${names[1]}" \
	"nodedev-destroy ${names[2]}"
diag $OUT
[ $still -eq 0 ] && seg_ok 1 && ! grep -qx $dom $WORK/seg.1
tap $? "the domain is gone after the guest's reboot (on_reboot=destroy)"
for i in 0 1 2; do
	seg_ok $((i + 2)) && [ ! -e "/sys/bus/mdev/devices/${uuids[i]}" ]
	tap $? "nodedev-destroy ${names[i]} removes the mdev"
done
same_state "after the guest and nodedev-destroy: no mdev, mdevctl config or PASID left behind"

tap_end
