# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # (sets variables for its callers)
#
# Sourced by what runs an L2 guest with an mnet mdev (tests/l2guest/,
# tests/libvirt/guest_test.sh, scripts/guest/run): the lab VM's side of the
# guest's "net" suite (tests/l2guest/net_suite.c), through the mdev's
# representor, with nothing but iproute2, ping and bash's /dev/tcp.
#
#   net_peer_prepare DEV   before the guest starts: the mdev (its sysfs
#                          directory) gets NET_MAC, its representor the
#                          lab's address, and is brought up; sets NET_APPEND,
#                          the guest's command-line words (ip=, L2_NET_MAC=)
#   net_peer_run REP WORK  while the guest runs, on the netdev REP (the
#                          mdev's representor, or a tap): ping (when it answers, RTT,
#                          MTU-sized and minimum-size), then a TCP stream of
#                          NET_BYTES to the guest and one back, with their
#                          figures and what the representor's counters say
#                          about frame sizes.  Results as "ok ..." and
#                          "not ok ..." lines, diagnostics as "# ..."; the
#                          sums it sent and received go to WORK
#   net_peer_check WORK EMIT
#                          after the guest's report was read (l2_read): EMIT
#                          STATUS DESCRIPTION for each stream, whether the
#                          guest's cksum and length match the lab VM's
# env: NET_BYTES (default 16 MiB), NET_WAIT (seconds for the guest to
#      answer and to listen, default 300)

NET_HOST_IP=10.55.0.1
NET_GUEST_IP=10.55.0.2
NET_PORT=5001
NET_MAC=52:54:00:51:05:02

net_peer_prepare() {
	local dev=$1 rep
	NET_APPEND=''
	echo "$NET_MAC" > "$dev/mac" || return 1
	read -r rep < "$dev/netdev" || return 1
	echo 1 > "/proc/sys/net/ipv6/conf/$rep/disable_ipv6" 2>/dev/null
	ip addr add "$NET_HOST_IP/24" dev "$rep" && ip link set dev "$rep" up || return 1
	NET_APPEND="ip=$NET_GUEST_IP::$NET_HOST_IP:255.255.255.0::eth0:off L2_NET_MAC=$NET_MAC"
}

net_say() { if [ "$1" -eq 0 ]; then echo "ok $2"; else echo "not ok $2"; fi; }
net_stat() { local v; read -r v < "/sys/class/net/$1/statistics/$2" && echo "$v"; }
net_now() { echo "${EPOCHREALTIME/./}"; }

# A connection to the guest's suite, retried while it is not listening yet.
net_connect() {
	local dir=$1 i
	for ((i = 0; i < ${NET_WAIT:-300}; i++)); do
		if [ "$dir" = out ]; then
			exec {NET_FD}>"/dev/tcp/$NET_GUEST_IP/$NET_PORT" && return 0
		else
			exec {NET_FD}<"/dev/tcp/$NET_GUEST_IP/$NET_PORT" && return 0
		fi 2>/dev/null
		sleep 1
	done
	return 1
}

# "A/B" bytes per frame of a counter pair's growth.
net_per_frame() { [ "$2" -gt 0 ] && echo $(($1 / $2)) || echo 0; }

net_peer_run() {
	local rep=$1 work=$2 bytes=${NET_BYTES:-16777216} i t0 t1 out b0 p0 b1 p1 avg ms
	echo "# net: $rep ($NET_HOST_IP), guest $NET_GUEST_IP, MAC $NET_MAC"

	t0=$(net_now)
	for ((i = 0; i < ${NET_WAIT:-300}; i++)); do
		ping -c 1 -W 1 -q "$NET_GUEST_IP" > /dev/null 2>&1 && break
	done
	t1=$(net_now)
	if [ "$i" -ge "${NET_WAIT:-300}" ]; then
		echo "not ok the guest answers ping through $rep # none in ${NET_WAIT:-300} tries"
		return 1
	fi
	echo "ok the guest answers ping through $rep ($(((t1 - t0) / 1000000)) s after QEMU started)"

	# To the guest: random bytes; it sums what it got.  Once it has
	# accepted, it waits in read(): the pings measure an idle guest.
	head -c "$bytes" /dev/urandom > "$work/net-up"
	cksum < "$work/net-up" > "$work/net-up.ck"
	if net_connect out; then
		out=$(ping -c 10 -i 0.2 -q "$NET_GUEST_IP" 2>&1)
		echo "$out" | grep -q ' 0% packet loss'
		net_say $? "10 pings answered: $(echo "$out" | sed -n 's/^rtt \(.*\)/RTT \1/p')"
		ping -c 3 -M "do" -s 1472 -q "$NET_GUEST_IP" > /dev/null 2>&1
		net_say $? "MTU-sized ping: 1500-byte IP packets both ways, not fragmented"
		ping -c 3 -s 0 -q "$NET_GUEST_IP" > /dev/null 2>&1
		net_say $? "minimum-size ping: 42-byte frames both ways"
		b0=$(net_stat "$rep" tx_bytes) p0=$(net_stat "$rep" tx_packets)
		t0=$(net_now)
		cat "$work/net-up" >&"$NET_FD"
		exec {NET_FD}>&-
		t1=$(net_now)
		b1=$(net_stat "$rep" tx_bytes) p1=$(net_stat "$rep" tx_packets)
		ms=$(((t1 - t0) / 1000))
		avg=$(net_per_frame $((b1 - b0)) $((p1 - p0)))
		echo "ok TCP stream to the guest: $bytes bytes in $ms ms ($((bytes * 1000 / 1024 / (ms + 1))) KiB/s)"
		[ "$avg" -gt 1514 ]
		net_say $? "host->guest frames average $avg bytes: TSO frames went to the guest whole"
	else
		echo "not ok TCP stream to the guest # no connection"
	fi
	rm -f "$work/net-up"

	# From the guest: its pseudo-random stream; we sum it.
	if net_connect in; then
		b0=$(net_stat "$rep" rx_bytes) p0=$(net_stat "$rep" rx_packets)
		t0=$(net_now)
		cksum <&"$NET_FD" > "$work/net-down.ck"
		t1=$(net_now)
		exec {NET_FD}<&-
		b1=$(net_stat "$rep" rx_bytes) p1=$(net_stat "$rep" rx_packets)
		ms=$(((t1 - t0) / 1000))
		read -r _ out < "$work/net-down.ck"
		avg=$(net_per_frame $((b1 - b0)) $((p1 - p0)))
		echo "ok TCP stream from the guest: $out bytes in $ms ms ($((out * 1000 / 1024 / (ms + 1))) KiB/s)"
		[ "$avg" -gt 1514 ]
		net_say $? "guest->host frames average $avg bytes: the guest's TSO reached the host stack unsegmented"
	else
		echo "not ok TCP stream from the guest # no connection"
	fi
	ip -s link show dev "$rep" | sed 's/^/# net: /'
}

net_peer_check() {
	local work=$1 emit=$2 mine guest
	read -r mine < "$work/net-up.ck" 2>/dev/null
	guest=$(l2_lines "ok * net: received *" | sed -n 's/.* cksum \([0-9]* [0-9]*\)$/\1/p')
	[ -n "$mine" ] && [ "$mine" = "$guest" ]
	"$emit" $? "the guest received the host's stream intact (cksum ${mine:-?} here, ${guest:-?} there)"
	read -r mine < "$work/net-down.ck" 2>/dev/null
	guest=$(l2_lines "ok * net: sent *" | sed -n 's/.* cksum \([0-9]* [0-9]*\)$/\1/p')
	[ -n "$mine" ] && [ "$mine" = "$guest" ]
	"$emit" $? "the host received the guest's stream intact (cksum ${mine:-?} here, ${guest:-?} there)"
}
