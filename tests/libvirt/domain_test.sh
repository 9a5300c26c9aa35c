#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Domains with our mdevs, short of booting a guest: the hostdev snippet and
# the domain XML of libvirt-xml/ as libvirt takes them, a domain naming an
# mdev UUID that does not exist (must fail cleanly, leave nothing behind),
# and virt-install 4.1 (the node-device form it rejects for our types, the
# XPath form that works).  TAP on stdout; run as root in the lab VM with the
# lab's modules loaded (scripts/guest/check).
set -u
cd "$LAB_DIR" || exit 1
. tests/libvirt/tap-checks.sh

libvirt_start
dom=siov-mdma-guest
# no_domain N: segment N (a 'list --all --name') shows no domain of ours.
no_domain() { seg_ok "$1" && ! grep -qx $dom $WORK/seg."$1"; }

# A domain naming an mdev that is not there.
bogus=5105d0a1-dead-4000-8000-00000000dead
sed "s|/path/to/lab|$LAB_DIR|; s|uuid='[^']*'|uuid='$bogus'|" \
	$XMLDIR/domain-mdma-guest.xml > $WORK/bogus-domain.xml
t0=${EPOCHREALTIME/./}
vsh_seq "create $WORK/bogus-domain.xml" "list --all --name"
echo "# first domain operation (includes libvirt probing QEMU): $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
diag $OUT
! seg_ok 1 && grep -q "mediated device '$bogus' not found" $WORK/seg.1
tap $? "virsh create naming an mdev that does not exist: fails with: mediated device not found"
no_domain 2
tap $? "after the failed create no domain is left"
same_state "after the failed create: no mdev, mdevctl config or PASID left behind"
vsh_seq "define $WORK/bogus-domain.xml" "start $dom" "undefine $dom" "list --all --name"
diag $OUT
seg_ok 1
tap $? "virsh define accepts it (the mdev need only exist at start)"
! seg_ok 2 && grep -q "mediated device '$bogus' not found" $WORK/seg.2
tap $? "virsh start of it: fails with: mediated device not found"
seg_ok 3 && no_domain 4
tap $? "virsh undefine: no domain left"
same_state "after the failed start: nothing left behind"

# The hostdev snippet, added to a defined guest (nothing has to exist yet).
uuid=$(xmllint --xpath 'string(//address/@uuid)' $XMLDIR/hostdev-mdev.xml)
sed "s|/path/to/lab|$LAB_DIR|; /^ *<hostdev /,/^ *<\/hostdev>/d" \
	$XMLDIR/domain-mdma-guest.xml > $WORK/plain-domain.xml
vsh_seq "define $WORK/plain-domain.xml" "attach-device $dom $XMLDIR/hostdev-mdev.xml --config" \
	"dumpxml $dom" "undefine $dom" "list --all --name"
seg_ok 1 && seg_ok 2 &&
	[ "$(xmllint --xpath "count(//hostdev[@mode='subsystem'][@type='mdev'][@model='vfio-pci']/source/address[@uuid='$uuid'])" $WORK/seg.3)" = 1 ]
tap $? "attach-device --config of hostdev-mdev.xml puts the mdev into the domain"
grep -v '^ *<controller\|^ *</controller\|^ *<address type\|^ *<model\|^ *<target' $OUT | diag /dev/stdin
seg_ok 4 && no_domain 5
tap $? "virsh undefine: no domain left"

# virt-install 4.1, with an mdev that exists.
name=$(mdev_name "$uuid")
vsh nodedev-create $XMLDIR/nodedev-mdma-1q-persistent.xml
tap $? "nodedev-create nodedev-mdma-1q-persistent.xml (for virt-install)"
virt-install --connect qemu:///system --print-xml --name $dom --memory 256 \
	--virt-type qemu --arch x86_64 --machine q35 --osinfo generic --import \
	--boot kernel=/boot/none --disk none --network none --graphics none \
	--hostdev "$name" > $OUT 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q "Don't know how to generate nodedev for mdev type id 'mdma-1q'" $OUT
tap $? "virt-install --hostdev $name: rejected, type mdma-1q unknown to virt-install 4.1"
diag $OUT
libvirt-xml/virt-install-mdma-guest.sh "$LAB_DIR" "$uuid" --print-xml > $WORK/vi.xml 2> $OUT
rc=$?
[ $rc -eq 0 ] && virt-xml-validate $WORK/vi.xml domain > $OUT 2>&1 &&
	[ "$(xmllint --xpath "count(//hostdev[@mode='subsystem'][@type='mdev'][@model='vfio-pci']/source/address[@uuid='$uuid'])" $WORK/vi.xml)" = 1 ]
tap $? "virt-install-mdma-guest.sh --print-xml: valid domain XML with the mdev hostdev"
diag $WORK/vi.xml
diag $OUT
vsh nodedev-destroy "$name"
same_state "after nodedev-destroy: everything is as before"

tap_end
