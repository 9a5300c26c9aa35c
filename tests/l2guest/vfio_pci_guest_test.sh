#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An mdma, an mcrypto and an mnet mdev driven by one unmodified guest through
# QEMU's vfio-pci (tests/l2guest/vfio-guest.sh).  In the guest the stock plx_dma
# driver takes the DMA mdev and the kernel's dmatest runs on its channel
# (dmatest.c); the stock virtio_crypto driver takes the crypto mdev, the
# kernel's crypto self-tests (with the extra, fuzzing, tests) run on
# cbc(aes), rsa and pkcs1pad(rsa) through it, and an AF_ALG client checks it
# against SP 800-38A and cbc(aes-generic) (crypto_suite.c).  From the
# outside, for the crypto mdev: its engine served at least the requests the
# guest says it sent, and no session is left once the guest has gone.
# env: L2_FUZZ (testmgr's fuzz_iterations, default 100, testmgr's own)
set -u
. "$(dirname "$0")/vfio-guest.sh"
. "$(dirname "$0")/net-peer.sh"

counter() { local v; read -r v 2>/dev/null < "/sys/kernel/debug/siov_mdev/$1/$2" && echo "$v"; }

guest_before() {
	if [ "$1" = mnet-1q ]; then
		NET_DEV=$2
		net_peer_prepare "$2"
		emit $? "the net mdev's MAC set and its representor up with $NET_HOST_IP"
		L2_APPEND="${L2_APPEND:-} $NET_APPEND"
		return 0
	fi
	[ "$1" = mcrypto-1q ] || return 0
	REQ0=$(counter "${2##*/}" requests)
	SES0=$(counter "${2##*/}" sessions_created)
}

guest_during() { net_peer_run "$(< "$NET_DEV/netdev")" "$VG_WORK"; }

guest_after() {
	local u=${2##*/} req ses sessions errors sent
	if [ "$1" = mnet-1q ]; then
		net_peer_check "$VG_WORK" emit
		return 0
	fi
	[ "$1" = mcrypto-1q ] || return 0
	req=$(counter "$u" requests) ses=$(counter "$u" sessions_created)
	sessions=$(counter "$u" sessions) errors=$(counter "$u" errors)
	echo "# mcrypto $u: requests ${REQ0:-?} -> ${req:-?}, sessions created" \
		"${SES0:-?} -> ${ses:-?}, sessions now ${sessions:-?}, errors ${errors:-?}"
	sent=$(l2_lines "# AF_ALG: * requests to virtio_crypto_aes_cbc*" |
		sed -n 's/^# AF_ALG: \([0-9]*\) requests.*/\1/p')
	if [ -n "$sent" ] && [ -n "$req" ] && [ -n "$REQ0" ] && [ $((req - REQ0)) -ge "$sent" ]; then
		ok "the crypto mdev's engine served the guest's AF_ALG requests ($((req - REQ0)) >= $sent)"
	else
		not_ok "the crypto mdev's engine served the guest's AF_ALG requests # engine: ${REQ0:-?} -> ${req:-?}, guest sent ${sent:-?}"
	fi
	if [ -n "$ses" ] && [ -n "$SES0" ] && [ "$ses" -gt "$SES0" ] && [ "${sessions:-x}" = 0 ]; then
		ok "sessions were created for the guest, and none is left after it ($((ses - SES0)) created)"
	else
		not_ok "sessions were created for the guest, and none is left after it # created ${SES0:-?} -> ${ses:-?}, left ${sessions:-?}"
	fi
}

vfio_guest_test "mdma-1q mcrypto-1q mnet-1q" dma,crypto,net "cryptomgr.fuzz_iterations=${L2_FUZZ:-100}"
