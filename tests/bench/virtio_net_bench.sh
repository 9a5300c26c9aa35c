#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP throughput both ways and ping RTT with the L2 guest (make bench, in the
# lab VM): the same guest image (`make guest`, L2_TESTS=net:
# tests/l2guest/net_suite.c) booted twice, its stock virtio_net driving
#   mdev       an mnet-1q mdev, assigned with QEMU's vfio-pci, reached
#              through the mdev's representor, and
#   qemu-tap   QEMU's own virtio-net-pci on a tap device of this VM (what a
#              user would pick instead), without vhost: the lab kernel has no
#              VHOST_NET,
# with the same peer on this side (tests/l2guest/net-peer.sh: ping, then
# NET_BYTES to the guest and NET_BYTES back over bash's /dev/tcp), then the
# ratios mdev/qemu-tap.
# Figures on stdout; nothing here judges them.
# env: NET_BYTES (default 16 MiB)
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/l2guest/l2-report.sh
. tests/l2guest/net-peer.sh

KERNEL=build/guest/bzImage
INITRD=build/guest/initramfs.cpio.gz
TAP=mnbench0
work=$(mktemp -d /tmp/net-bench.XXXXXX)
uuid='' qpid='' peer=''

# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
	[ -n "$peer" ] && kill "$peer" 2>/dev/null && wait "$peer" 2>/dev/null
	[ -n "$uuid" ] && [ -e "/sys/bus/mdev/devices/$uuid" ] &&
		echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
	ip link del "$TAP" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2317  # (called by l2_watch)
alive() { kill -0 "$qpid" 2>/dev/null; }

# run_guest LABEL REP APPEND QEMU_ARGS...: one boot with the peer on REP;
# the peer's figures as "LABEL: ...".
run_guest() {
	local label=$1 rep=$2 append=$3 con=$work/$1.log i
	shift 3
	l2_watch_start "$con"
	qemu-system-x86_64 -nodefaults -no-user-config -no-reboot -display none -monitor none \
		-machine q35 -accel tcg -smp 1 -m 128 -kernel $KERNEL -initrd $INITRD \
		-append "console=ttyS0 panic=-1 cryptomgr.notests=1 L2_TESTS=net $append" \
		"$@" -serial file:"$con" </dev/null >"$work/$label.qemu" 2>&1 &
	qpid=$!
	net_peer_run "$rep" "$work" > "$work/$label.peer" 2>&1 &
	peer=$!
	l2_watch alive : 1200
	alive && kill "$qpid"
	wait "$qpid"
	qpid=''
	for ((i = 0; i < 60; i++)); do kill -0 "$peer" 2>/dev/null || break; l2_nap 0.5; done
	kill "$peer" 2>/dev/null
	wait "$peer" 2>/dev/null
	peer=''
	l2_read "$con"
	[ $L2_DONE -eq 1 ] || echo "$label: the guest gave no report (QEMU: $(tail -n 1 "$work/$label.qemu"))"
	l2_lines "not ok *" | sed "s/^/$label: guest: /"
	net_peer_check "$work" net_bench_check | sed "s/^/$label: /"
	sed -n 's/^ok \(10 pings\|TCP stream\|[a-z]*->[a-z]* frames\)/\1/p; s/^not ok /FAILED: /p' \
		"$work/$label.peer" | sed "s/^/$label: /"
	echo "$label: guest ran $(l2_secs "$L2_RAN_MS") s wall clock"
}

# shellcheck disable=SC2317  # (called by net_peer_check)
net_bench_check() { [ "$1" -eq 0 ] || echo "FAILED: $2"; }

for f in $KERNEL $INITRD; do
	[ -r $f ] || { echo "$f missing (make guest)"; exit 1; }
done
types=(/sys/class/mdev_bus/*/mdev_supported_types/mnet-1q)
read -r uuid < /proc/sys/kernel/random/uuid
if [ ! -e "${types[0]}" ] || ! echo "$uuid" > "${types[0]}/create"; then
	echo "no mnet-1q mdev (is mnet loaded?)"
	uuid=''
	exit 1
fi
net_peer_prepare "/sys/bus/mdev/devices/$uuid" || { echo "the representor did not come up"; exit 1; }
read -r rep < "/sys/bus/mdev/devices/$uuid/netdev"

{
	run_guest mdev "$rep" "$NET_APPEND" -device vfio-pci,sysfsdev="/sys/bus/mdev/devices/$uuid"
	echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
	uuid=''

	ip tuntap add dev $TAP mode tap && ip addr add "$NET_HOST_IP/24" dev $TAP &&
		ip link set dev $TAP up || { echo "qemu-tap: no tap device"; exit 1; }
	echo 1 > /proc/sys/net/ipv6/conf/$TAP/disable_ipv6
	run_guest qemu-tap $TAP "$NET_APPEND" \
		-netdev tap,id=n0,ifname=$TAP,script=no,downscript=no,vhost=off \
		-device virtio-net-pci,netdev=n0,mac=$NET_MAC
} | tee "$work/all"

# Ratios of the same figure, mdev / qemu-tap (RTT: qemu-tap / mdev, so
# that above 1 is better for the mdev everywhere).
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "n/a" }'
}
kib() { sed -n "s/^$1: TCP stream $2 the guest: .* (\([0-9]*\) KiB\/s)$/\1/p" "$work/all"; }
rtt() { sed -n "s|^$1: 10 pings answered: RTT min/avg/max/mdev = [0-9.]*/\([0-9.]*\)/.*|\1|p" "$work/all"; }
echo "TCP host->guest: mdev $(kib mdev to) KiB/s, qemu-tap $(kib qemu-tap to) KiB/s," \
	"mdev/qemu-tap $(ratio "$(kib mdev to)" "$(kib qemu-tap to)")"
echo "TCP guest->host: mdev $(kib mdev from) KiB/s, qemu-tap $(kib qemu-tap from) KiB/s," \
	"mdev/qemu-tap $(ratio "$(kib mdev from)" "$(kib qemu-tap from)")"
echo "ping RTT avg: mdev $(rtt mdev) ms, qemu-tap $(rtt qemu-tap) ms," \
	"qemu-tap/mdev $(ratio "$(rtt qemu-tap)" "$(rtt mdev)")"
