#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How long libvirt takes to create and destroy mdevs: 32 mdma-1q mdevs through
# `virsh nodedev-create` then `virsh nodedev-destroy`, in one virsh process
# (what libvirt + mdevctl + udev cost) and a few in a virsh process each (what
# a user typing virsh sees here, where starting virsh itself costs seconds);
# mdevctl start/stop and raw sysfs for comparison, and the libvirt bring-up
# time.  Figures on stdout; nothing is judged.  Run by scripts/guest/bench
# (make bench) with the lab's modules loaded: mdma is reloaded with queues=32
# so that 32 mdma-1q fit, and put back as it was afterwards.
set -u
cd "$LAB_DIR" || exit 1
n=32
parent=5105:00:00.0
types=/sys/class/mdev_bus/$parent/mdev_supported_types
work=/tmp/libvirt-bench
mkdir -p $work
ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
uuid() { printf '5105d0a1-00be-4000-8000-%012x' "$1"; }
name() { local u; u=$(uuid "$1"); echo "mdev_${u//-/_}_5105_00_00_0"; }

rmmod mdma && insmod "${LAB_KO_DIR:-.}"/samples/vfio-mdev/mdma.ko queues=$n ||
	{ echo "could not reload mdma with queues=$n"; exit 1; }
. scripts/guest/libvirt-up.sh
lab_libvirt_up || exit 1
echo "libvirt bring-up (udevd + trigger, libvirtd, mdevctl rule): $LAB_LIBVIRT_UP_MS ms (${LAB_LIBVIRT_UP_STEPS:-})"
echo "mdma-1q available_instances: $(< $types/mdma-1q/available_instances)"

create= destroy=
for ((i = 0; i < n; i++)); do
	sed "s|<uuid>.*</uuid>|<uuid>$(uuid $i)</uuid>|" \
		libvirt-xml/nodedev-mdma-1q-persistent.xml > $work/$i.xml
	create+="nodedev-create $work/$i.xml; "
	destroy+="nodedev-destroy $(name $i); "
done
v="virsh -c qemu:///system"
t0=$(ms)
$v version > /dev/null
t1=$(ms)
echo "one virsh process (virsh version): $((t1 - t0)) ms"
$v "$create" > $work/create.out 2>&1
t2=$(ms)
made=$(ls /sys/bus/mdev/devices | wc -l)
$v "$destroy" > $work/destroy.out 2>&1
t3=$(ms)
left=$(ls /sys/bus/mdev/devices | wc -l)
echo "virsh, one process: $n x nodedev-create $((t2 - t1)) ms ($(((t2 - t1) / n)) ms each, $made mdevs made)"
echo "virsh, one process: $n x nodedev-destroy $((t3 - t2)) ms ($(((t3 - t2) / n)) ms each, $left left)"
echo "virsh, one process: create + destroy $(((t3 - t1) / n)) ms per mdev"

k=4
t0=$(ms)
for ((i = 0; i < k; i++)); do
	$v nodedev-create $work/$i.xml > /dev/null 2>&1
	$v nodedev-destroy "$(name $i)" > /dev/null 2>&1
done
t1=$(ms)
echo "virsh, a process per command: create + destroy $(((t1 - t0) / k)) ms per mdev ($k mdevs)"

t0=$(ms)
for ((i = 0; i < k; i++)); do
	mdevctl start -p $parent -t mdma-1q -u "$(uuid $i)" > /dev/null 2>&1
	mdevctl stop -u "$(uuid $i)" > /dev/null 2>&1
done
t1=$(ms)
echo "mdevctl start + stop: $(((t1 - t0) / k)) ms per mdev ($k mdevs)"

# UUIDs of their own: on the debug kernel (DEBUG_KOBJECT_RELEASE) a removed
# mdev's name stays taken for a few seconds, and mdevctl just used 0..k-1.
t0=$(ms)
for ((i = 0; i < n; i++)); do
	echo "$(uuid $((0x100 + i)))" > $types/mdma-1q/create
done
t1=$(ms)
for ((i = 0; i < n; i++)); do
	echo 1 > "/sys/bus/mdev/devices/$(uuid $((0x100 + i)))/remove"
done
t2=$(ms)
echo "sysfs create + remove: $(((t2 - t0) * 1000 / n)) us per mdev ($n mdevs)"

# Let libvirt see the last removals before mdma goes away under it.
udevadm settle
# The same holds for /sys/module/mdma after rmmod: insmod gets EEXIST
# until the delayed release ran (at most a few seconds).
put_back() {
	local try

	rmmod mdma || return 1
	for ((try = 0; try < 40; try++)); do
		insmod "${LAB_KO_DIR:-.}"/samples/vfio-mdev/mdma.ko 2> /dev/null && return 0
		sleep 0.25
	done
	return 1
}
put_back || echo "could not put mdma back with its default queues"
