#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An mcrypto mdev driven by an unmodified guest through QEMU's vfio-pci
# (tests/l2guest/vfio-guest.sh): the stock virtio_crypto driver takes the
# device, the kernel's crypto self-tests (with the extra, fuzzing, tests)
# run on cbc(aes), rsa and pkcs1pad(rsa) through it, and an AF_ALG client
# checks it against SP 800-38A and cbc(aes-generic) (crypto_suite.c).  From
# the outside: the mdev's engine served at least the requests the guest
# says it sent, and no session is left once the guest has gone.
# env: L2_FUZZ (testmgr's fuzz_iterations, default 100, testmgr's own)
set -u
. "$(dirname "$0")/vfio-guest.sh"

debugfs=/sys/kernel/debug/siov_mdev
counter() { local v; read -r v 2>/dev/null < "$debugfs/$1/$2" && echo "$v"; }

guest_before() {
	REQ0=$(counter "${1##*/}" requests)
	SES0=$(counter "${1##*/}" sessions_created)
}

guest_after() {
	local u=${1##*/} req ses sessions errors sent
	req=$(counter "$u" requests) ses=$(counter "$u" sessions_created)
	sessions=$(counter "$u" sessions) errors=$(counter "$u" errors)
	echo "# mcrypto $u: requests ${REQ0:-?} -> ${req:-?}, sessions created" \
		"${SES0:-?} -> ${ses:-?}, sessions now ${sessions:-?}, errors ${errors:-?}"
	sent=$(l2_lines "# AF_ALG: * requests to virtio_crypto_aes_cbc*" | sed -n 's/^# AF_ALG: \([0-9]*\) requests.*/\1/p')
	if [ -n "$sent" ] && [ -n "$req" ] && [ -n "$REQ0" ] && [ $((req - REQ0)) -ge "$sent" ]; then
		ok "the mdev's engine served the guest's AF_ALG requests ($((req - REQ0)) >= $sent)"
	else
		not_ok "the mdev's engine served the guest's AF_ALG requests # engine: ${REQ0:-?} -> ${req:-?}, guest sent ${sent:-?}"
	fi
	if [ -n "$ses" ] && [ -n "$SES0" ] && [ "$ses" -gt "$SES0" ] && [ "${sessions:-x}" = 0 ]; then
		ok "sessions were created for the guest, and none is left after it ($((ses - SES0)) created)"
	else
		not_ok "sessions were created for the guest, and none is left after it # created ${SES0:-?} -> ${ses:-?}, left ${sessions:-?}"
	fi
}

vfio_guest_test mcrypto-1q crypto "cryptomgr.fuzz_iterations=${L2_FUZZ:-100}"
