#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libvirt node devices for our mdevs, with the XML of libvirt-xml/: discovery
# (nodedev-list --cap mdev_types, availableInstances against sysfs), transient
# mdevs (nodedev-create/dumpxml/destroy), persistent ones
# (nodedev-define/start/autostart/undefine against mdevctl, and autostart
# through mdevctl's udev rule), and bad input, after which nothing may be
# left half-made.  TAP on stdout; run as root in the lab VM with the lab's
# modules loaded (scripts/guest/check).
set -u
cd "$LAB_DIR" || exit 1
. tests/libvirt/tap-checks.sh

libvirt_start
echo "$BASELINE" | sed 's/^/# before: /'

## Discovery
vsh_seq "nodedev-list --cap mdev_types" "nodedev-dumpxml $PARENT_ND"
grep -qx "$PARENT_ND" $WORK/seg.1
tap $? "nodedev-list --cap mdev_types lists $PARENT_ND"
diag $WORK/seg.1

# virsh on a terminal, as a person types it in the shell of `make run`:
# connected, and no polkit agent complaining (scripts/guest/libvirt-up.sh).
script -qec "virsh -c qemu:///system uri" /dev/null < /dev/null 2>&1 | tr -d '\r' > $WORK/tty.out
grep -qx 'qemu:///system' $WORK/tty.out && ! grep -q 'Authorization not available' $WORK/tty.out
tap $? "virsh on a terminal connects, with no polkit warning"
diag $WORK/tty.out
cp $WORK/seg.2 $WORK/parent.xml
for t in "$TYPES"/*; do
	id=${t##*/}
	want=$(< "$t/available_instances")
	got=$(xmllint --xpath "string(//type[@id='$id']/availableInstances)" $WORK/parent.xml 2>/dev/null)
	api=$(xmllint --xpath "string(//type[@id='$id']/deviceAPI)" $WORK/parent.xml 2>/dev/null)
	[ "$got" = "$want" ] && [ "$api" = vfio-pci ]
	tap $? "nodedev-dumpxml $PARENT_ND: $id availableInstances as in sysfs, deviceAPI vfio-pci"
	echo "# $id: availableInstances $got, sysfs available_instances $want, deviceAPI $api"
done

## Transient mdevs: nodedev-create / nodedev-dumpxml / nodedev-destroy
for q in 1 4; do
	type=mdma-${q}q xml=$XMLDIR/nodedev-mdma-${q}q.xml
	before=$(< "$TYPES/$type/available_instances")
	vsh nodedev-create "$xml"
	tap $? "nodedev-create $(basename "$xml")"
	diag $OUT
	name=$(sed -n "s/^Node device \(mdev_[0-9a-f_]*_${PARENT_ND#pci_}\) created from .*/\1/p" $OUT)
	uuid=${name#mdev_}
	uuid=${uuid:0:36}
	uuid=${uuid//_/-}
	dev=/sys/bus/mdev/devices/$uuid
	[ -n "$name" ] && [ -d "$dev" ] && [ "$(basename "$(readlink "$dev/mdev_type")")" = $type ]
	tap $? "$type: the new mdev is in sysfs with type $type"
	echo "# $dev"
	[ -r "$dev/siov/pasid" ] && [ "$(< "$dev/siov/pasid")" = none ]
	tap $? "$type: siov/pasid exists and is 'none' while no VFIO user has it open"
	[ "$(< "$TYPES/$type/available_instances")" -eq $((before - 1)) ]
	tap $? "$type: available_instances is one less"
	echo "# available_instances $before -> $(< "$TYPES/$type/available_instances")"
	group=$(basename "$(readlink "$dev/iommu_group")")
	mdevctl list > $OUT 2>&1
	grep -q "^$uuid $PARENT $type" $OUT
	tap $? "$type: mdevctl list shows it active"
	# Opened the way QEMU opens it, the mdev gets a PASID (an aux domain on
	# the endpoint), and gives it back on close.
	tests/libvirt/vfio_open.py "$uuid" $PARENT > $OUT 2>&1
	read -r _ pasid aux < <(grep '^open ' $OUT)
	[[ "$pasid" =~ ^[0-9]+$ ]] && [ "$aux" = 1 ] && grep -qx 'closed none 0' $OUT
	tap $? "$type: opened through VFIO it has a PASID (siov/pasid, 1 aux domain); none once closed"
	diag $OUT
	vsh_seq "nodedev-dumpxml $name" "nodedev-destroy $name"
	cp $WORK/seg.1 $WORK/mdev.xml
	[ "$(xmllint --xpath 'string(//capability/type/@id)' $WORK/mdev.xml)" = $type ] &&
		[ "$(xmllint --xpath 'string(//capability/uuid)' $WORK/mdev.xml)" = "$uuid" ] &&
		[ "$(xmllint --xpath 'string(//capability/iommuGroup/@number)' $WORK/mdev.xml)" = "$group" ]
	tap $? "$type: nodedev-dumpxml shows its type, uuid and iommuGroup (as in sysfs)"
	echo "# sysfs iommu_group: $group"
	diag $WORK/mdev.xml
	seg_ok 2 && [ ! -e "$dev" ]
	tap $? "$type: nodedev-destroy"
	diag $WORK/seg.2
	same_state "$type: after nodedev-destroy the mdev is gone and everything is as before"
done

## Persistent mdevs: nodedev-define / start / autostart / undefine
for q in 1 4; do
	type=mdma-${q}q xml=$XMLDIR/nodedev-mdma-${q}q-persistent.xml
	uuid=$(xmllint --xpath 'string(//uuid)' "$xml")
	name=$(mdev_name "$uuid")
	dev=/sys/bus/mdev/devices/$uuid
	cfg=/etc/mdevctl.d/$PARENT/$uuid
	vsh_seq "nodedev-define $xml" "nodedev-info $name"
	seg_ok 1 && grep -q '^Active: *no' $WORK/seg.2 && grep -q '^Persistent: *yes' $WORK/seg.2 &&
		grep -q '^Autostart: *no' $WORK/seg.2
	tap $? "nodedev-define $(basename "$xml"): defined, inactive, no autostart"
	diag $OUT
	mdevctl list -d > $OUT 2>&1
	grep -qx "$uuid $PARENT $type manual" $OUT && [ -f "$cfg" ] && [ ! -e "$dev" ]
	tap $? "$type: mdevctl list -d agrees (manual start), mdevctl config written, nothing in sysfs"
	diag $OUT
	vsh_seq "nodedev-autostart $name" "nodedev-info $name" "nodedev-start $name"
	seg_ok 1 && grep -q '^Autostart: *yes' $WORK/seg.2 &&
		mdevctl list -d | grep -q "^$uuid $PARENT $type auto"
	tap $? "$type: nodedev-autostart, and mdevctl list -d says auto"
	seg_ok 3
	tap $? "$type: nodedev-start"
	diag $OUT
	[ -d "$dev" ] && mdevctl list | grep -q "^$uuid $PARENT $type auto (defined)"
	tap $? "$type: started: in sysfs, mdevctl list shows it active and defined"
	vsh nodedev-destroy "$name" && [ ! -e "$dev" ] && [ -f "$cfg" ]
	tap $? "$type: nodedev-destroy stops it and keeps the definition"
	# mdevctl's udev rule starts autostart mdevs when their parent appears;
	# an 'add' uevent on the parent is what a boot or hot-plug sends.  The
	# UUID of the mdev just destroyed stays taken until the mdev core
	# releases the old device, seconds later on the debug kernel
	# (DEBUG_KOBJECT_RELEASE), and a start before that fails with EEXIST:
	# the parent appears again until the start succeeds, for at most 20 s.
	for i in $(seq 20); do
		echo add > "/sys/bus/pci/devices/$PARENT/uevent"
		udevadm settle
		[ -d "$dev" ] && break
		sleep 1
	done
	echo "# autostart: $i 'add' uevent(s)"
	[ -d "$dev" ]
	tap $? "$type: autostart through mdevctl's udev rule (fixed path) when the parent appears"
	for i in 1 2 3 4 5; do
		vsh nodedev-info "$name"
		grep -q '^Active: *yes' $OUT && break
		sleep 1
	done
	vsh_seq "nodedev-destroy $name" "nodedev-undefine $name"
	seg_ok 1
	tap $? "$type: libvirt saw the autostarted mdev; nodedev-destroy"
	seg_ok 2
	tap $? "$type: nodedev-undefine"
	diag $OUT
	mdevctl list -d > $OUT 2>&1
	! grep -q "$uuid" $OUT
	tap $? "$type: mdevctl list -d no longer has it"
	same_state "$type: after undefine everything is as before"
done

## A per-mdev attribute: the net mdev's MAC, kept by mdevctl and shown by libvirt
u=5105d0a1-0002-4000-8000-000000000002
name=mdev_${u//-/_}_5105_00_02_0
vsh_seq "nodedev-define $XMLDIR/nodedev-mnet-1q-persistent.xml" "nodedev-dumpxml $name" \
	"nodedev-start $name"
diag $OUT
seg_ok 1 && grep -q "<attr name='mac' value='52:54:00:51:05:02'/>" $WORK/seg.2
tap $? "mnet-1q: nodedev-define with <attr name='mac'>, and nodedev-dumpxml shows it"
mdevctl list -d --dumpjson -u $u > $WORK/mnet.json 2>&1
grep -q '"mac": "52:54:00:51:05:02"' $WORK/mnet.json
tap $? "mnet-1q: mdevctl list -d keeps the mac attribute"
diag $WORK/mnet.json
read -r mac 2>/dev/null < /sys/bus/mdev/devices/$u/mac
seg_ok 3 && [ "$mac" = 52:54:00:51:05:02 ]
tap $? "mnet-1q: nodedev-start writes it: the mdev's mac is ${mac:-unreadable}"
! { echo 01:00:5e:00:00:01 > /sys/bus/mdev/devices/$u/mac; } 2>/dev/null &&
	read -r mac < /sys/bus/mdev/devices/$u/mac && [ "$mac" = 52:54:00:51:05:02 ]
tap $? "mnet-1q: a multicast mac is refused and the old one stays"
vsh_seq "nodedev-destroy $name" "nodedev-undefine $name"
diag $OUT
seg_ok 1 && seg_ok 2
tap $? "mnet-1q: nodedev-destroy and nodedev-undefine"
same_state "mnet-1q: after undefine everything is as before"

## Bad input: a clear error, and nothing half-made
sed "s/mdma-1q/mdma-9q/" $XMLDIR/nodedev-mdma-1q.xml > $WORK/bad-type.xml
expect_error "nodedev-create, unknown type mdma-9q" "does not support mdev type mdma-9q" \
	nodedev-create $WORK/bad-type.xml
same_state "unknown type: nothing left behind"

# mdevctl 1.2 defines any type (the parent may not be there yet); libvirt
# passes that on.  Starting it is what fails.
sed "s/mdma-1q/mdma-9q/" $XMLDIR/nodedev-mdma-1q-persistent.xml > $WORK/bad-type-def.xml
name=$(mdev_name "$(xmllint --xpath 'string(//uuid)' $WORK/bad-type-def.xml)")
vsh_seq "nodedev-define $WORK/bad-type-def.xml" "nodedev-start $name" "nodedev-undefine $name"
echo "# nodedev-define with an unknown type is accepted by libvirt 9.0 + mdevctl 1.2:"
diag $OUT
! seg_ok 2 && grep -q "does not support mdev type mdma-9q" $WORK/seg.2
tap $? "nodedev-start of a defined mdev of unknown type: fails with: does not support mdev type mdma-9q"
same_state "unknown type defined, start failed, undefined: nothing left behind"

for how in create define; do
	sed "s|<uuid>.*</uuid>|<uuid>5105d0a1-zz-not-a-uuid</uuid>|" \
		$XMLDIR/nodedev-mdma-1q-persistent.xml > $WORK/bad-uuid.xml
	expect_error "nodedev-$how, malformed UUID" "Invalid uuid" nodedev-$how $WORK/bad-uuid.xml
	same_state "nodedev-$how, malformed UUID: nothing left behind"
done

sed "s/$PARENT_ND/pci_5105_00_1f_7/" $XMLDIR/nodedev-mdma-1q.xml > $WORK/bad-parent.xml
expect_error "nodedev-create, nonexistent parent pci_5105_00_1f_7" "invalid parent device" \
	nodedev-create $WORK/bad-parent.xml
same_state "nonexistent parent: nothing left behind"

# Every simulated endpoint is a parent (mdma, mcrypto, mnet); the VM's host bridge is not.
sed "s/$PARENT_ND/pci_0000_00_00_0/" $XMLDIR/nodedev-mdma-1q.xml > $WORK/not-parent.xml
expect_error "nodedev-create on a PCI device that is no mdev parent" "Unable to find parent device" \
	nodedev-create $WORK/not-parent.xml
same_state "not an mdev parent: nothing left behind"

sed "s/$PARENT_ND/pci_5105_00_01_0/" $XMLDIR/nodedev-mdma-1q.xml > $WORK/other-parent.xml
expect_error "nodedev-create of mdma-1q on the crypto parent" "does not support mdev type mdma-1q" \
	nodedev-create $WORK/other-parent.xml
same_state "a type the parent does not have: nothing left behind"

# One more mdma-4q than the parent has room for.
avail=$(< "$TYPES/mdma-4q/available_instances")
cmds= names=
for ((i = 0; i <= avail; i++)); do
	u=5105d0a1-00ff-4000-8000-0000000000$(printf %02x $i)
	sed "s|<uuid>.*</uuid>|<uuid>$u</uuid>|" $XMLDIR/nodedev-mdma-4q-persistent.xml > $WORK/many-$i.xml
	cmds+="nodedev-create $WORK/many-$i.xml; "
	[ $i -lt "$avail" ] && names+="nodedev-destroy $(mdev_name $u); "
done
vsh "$cmds"
[ "$(grep -c '^Node device .* created' $OUT)" -eq "$avail" ] && grep -q 'No available instances of mdma-4q' $OUT
tap $? "mdma-4q: $avail nodedev-create succeed, number $((avail + 1)) fails with 'No available instances'"
diag $OUT
vsh "$names"
same_state "too many mdevs: after destroying the $avail, everything is as before"

tap_end
