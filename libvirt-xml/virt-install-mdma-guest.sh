#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# virt-install for the guest of domain-mdma-guest.xml: direct kernel boot,
# serial console to a file, no disk, no network, 256 MiB, TCG, q35, with the
# mdev UUID assigned.  The mdev must already exist (virsh nodedev-create or
# nodedev-define + nodedev-start).  Extra arguments go to virt-install, e.g.
# --print-xml to see the domain XML without creating anything.
#
#   usage: virt-install-mdma-guest.sh LAB_DIR MDEV_UUID [virt-install options]
#
# Why the --hostdev looks like this: virt-install 4.1 can name an mdev by its
# node device (--hostdev mdev_<uuid>_5105_00_00_0), but then builds the
# <hostdev> itself and knows only vfio_ccw-io, vfio_ap-passthrough, nvidia-NN
# and i915-GVTg_* types; for any other (mdma-1q included) it stops with
# "Don't know how to generate nodedev for mdev type id 'mdma-1q'"
# (virtinst/devices/hostdev.py).  --hostdev has no model= or uuid= sub-option
# either, so the <hostdev> is written with its XPath sub-options instead.
# Another way: create the guest without it and add libvirt-xml/hostdev-mdev.xml
# with `virsh attach-device GUEST hostdev-mdev.xml --config` (or --live).
# virt-install adds managed='yes' to the <hostdev>; libvirt 9.0 does not create
# or remove mdevs for a guest either way.
#
# --osinfo generic: a kernel booted without disk or network gains nothing from
# an OS entry, and a named one (linux2022) makes virt-install read all of
# libosinfo's database (1,100 files), about a minute in the lab VM.
set -eu
lab=$1 uuid=$2
shift 2
exec virt-install --connect qemu:///system \
	--name siov-mdma-guest --memory 256 --vcpus 1 \
	--virt-type qemu --arch x86_64 --machine q35 --osinfo generic \
	--features acpi=on \
	--import --boot "kernel=$lab/build/guest/bzImage,initrd=$lab/build/guest/initramfs.cpio.gz,kernel_args=console=ttyS0 panic=-1" \
	--disk none --network none --graphics none --sound none \
	--serial file,path=/var/log/libvirt/qemu/siov-mdma-guest.serial.log \
	--controller usb,model=none --memballoon none \
	--hostdev "type=mdev,xpath0.set=./@model=vfio-pci,xpath1.set=./source/address/@uuid=$uuid" \
	--noautoconsole "$@"
