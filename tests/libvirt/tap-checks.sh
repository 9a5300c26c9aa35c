# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/libvirt/*_test.sh: TAP output, running virsh, and the lab's
# mdev state (what "nothing half-made" compares).  Every check is one TAP line
# that can fail; a check's evidence goes to '# ' lines under it.

TAP_N=0
TAP_FAILED=0
PARENT=5105:00:00.0
PARENT_ND=pci_5105_00_00_0
TYPES=/sys/class/mdev_bus/$PARENT/mdev_supported_types
XMLDIR=$LAB_DIR/libvirt-xml
WORK=/tmp/libvirt-test
mkdir -p $WORK
echo "TAP version 13"

# tap STATUS DESCRIPTION: one result line (STATUS 0 = ok).
tap() {
	local rc=$1
	shift
	TAP_N=$((TAP_N + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $TAP_N - $*"
	else
		echo "not ok $TAP_N - $*"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# diag FILE: show a command's output as TAP diagnostics.
diag() { sed '/^@@seg[0-9]*@@$/d; s/^/# /' "$1"; }

tap_end() {
	echo "1..$TAP_N"
	[ $TAP_FAILED -eq 0 ]
}

# vsh ARGS...: virsh on the system libvirtd; output (both streams) in $OUT,
# status returned.  virsh multi-command strings ("a; b") also work.
OUT=$WORK/out
vsh() { virsh -c qemu:///system "$@" > $OUT 2>&1; }

# vsh_seq CMD...: the virsh commands in one virsh process (starting virsh
# costs seconds in the lab VM).  Command i's output is in $WORK/seg.i; it
# failed when that has an 'error: ' line (virsh goes on after a failed command,
# and flushes stdout before it writes an error, so the streams stay in order).
vsh_seq() {
	local cmds= i=0 c
	rm -f $WORK/seg.*
	for c in "$@"; do
		i=$((i + 1))
		cmds+="$c; echo @@seg$i@@; "
		: > $WORK/seg.$i
	done
	virsh -c qemu:///system "$cmds" > $OUT 2>&1
	i=1
	while IFS= read -r c; do
		if [ "$c" = "@@seg$i@@" ]; then
			i=$((i + 1))
		else
			printf '%s\n' "$c" >> $WORK/seg.$i
		fi
	done < $OUT
}
seg_ok() { ! grep -q '^error: ' $WORK/seg.$1; }

# mdev_name UUID: libvirt's node device name of an mdev on our parent.
mdev_name() { echo "mdev_${1//-/_}_${PARENT_ND#pci_}"; }

# mdev_state: what must be back to its earlier value after a failed or undone
# operation: the mdevs in sysfs, mdevctl's saved configs, the parent's free
# instances per type of every parent, and the PASIDs (aux domains) allocated
# on every endpoint.
mdev_state() {
	local f t
	echo "sysfs: $(ls /sys/bus/mdev/devices)"
	for f in /etc/mdevctl.d/*/*; do
		case "$f" in */scripts.d/*) ;; *) [ -e "$f" ] && echo "mdevctl config: $f" ;; esac
	done
	for t in /sys/class/mdev_bus/*/mdev_supported_types/*; do
		[ -e "$t" ] && echo "available ${t##*/}: $(< "$t/available_instances")"
	done
	while read -r f _ _ t _; do
		case "$f" in [0-9a-f]*:*) echo "aux domains (PASIDs) on $f: $t" ;; esac
	done < /sys/kernel/debug/siov_iommu/endpoints
}

# same_state DESCRIPTION: the state equals $BASELINE.
same_state() {
	mdev_state > $WORK/state
	if [ "$(< $WORK/state)" = "$BASELINE" ]; then
		tap 0 "$*"
	else
		tap 1 "$*"
		diff <(echo "$BASELINE") $WORK/state | sed 's/^/# /'
	fi
}

# expect_error DESCRIPTION PATTERN ARGS...: virsh ARGS fails, and says PATTERN.
expect_error() {
	local what=$1 pattern=$2
	shift 2
	if vsh "$@"; then
		tap 1 "$what: fails"
		diag $OUT
	elif grep -q "$pattern" $OUT; then
		tap 0 "$what: fails with: $pattern"
		diag $OUT
	else
		tap 1 "$what: fails with: $pattern"
		diag $OUT
	fi
}

# libvirt_start: bring libvirt up (the first result) and record the state
# later checks compare with in $BASELINE; end the test here when libvirt or
# the mdma parent is missing.
libvirt_start() {
	. scripts/guest/libvirt-up.sh
	lab_libvirt_up 2> $WORK/up
	tap $? "libvirt comes up in the lab VM (udevd, libvirtd, mdevctl)"
	diag $WORK/up
	echo "# libvirt bring-up (done once per VM boot): ${LAB_LIBVIRT_UP_MS:-?} ms (${LAB_LIBVIRT_UP_STEPS:-})"
	[ -d "$TYPES" ] || { tap 1 "parent $PARENT has mdev types (is mdma loaded?)"; tap_end; exit; }
	BASELINE=$(mdev_state)
}
