#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# AF_ALG cbc(aes) in the L2 guest (make bench, in the lab VM): the same guest
# image (`make guest`, L2_TESTS=cryptobench: tests/l2guest/crypto_bench.c)
# booted twice, one request at a time at 16 B, 4 KiB and 64 KiB, through
#   mdev          an mcrypto-1q mdev, assigned with QEMU's vfio-pci,
#   qemu-builtin  QEMU's own virtio-crypto-pci with cryptodev-backend-builtin
#                 (what a user would pick instead), and
#   aes-generic   the guest's own cbc(aes-generic), in the first boot,
# then the ratios, and setkey (two session creates and two destroys on a
# virtio-crypto device) per second.  Both devices are driven by the same
# stock virtio_crypto driver, and every figure is timed by the guest's TSC
# (the host's) at the rate this VM calibrated.
# Figures on stdout; nothing here judges them.
# env: CRYPTO_BENCH_MS (milliseconds per figure, 3000)
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/l2guest/l2-report.sh

KERNEL=build/guest/bzImage
INITRD=build/guest/initramfs.cpio.gz
MS=${CRYPTO_BENCH_MS:-3000}
DEV=virtio_crypto_aes_cbc
SW='cbc(aes-generic)'
work=$(mktemp -d /tmp/crypto-bench.XXXXXX)
uuid='' qpid=''

# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
	[ -n "$uuid" ] && [ -e "/sys/bus/mdev/devices/$uuid" ] &&
		echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2317  # (called by l2_watch)
alive() { kill -0 "$qpid" 2>/dev/null; }

# run_guest LABEL ALGS QEMU_ARGS...: one boot; its figures as "LABEL: ...".
run_guest() {
	local label=$1 algs=$2 con=$work/$1.log
	shift 2
	l2_watch_start "$con"
	qemu-system-x86_64 -nodefaults -no-user-config -no-reboot -display none -monitor none \
		-machine q35 -accel tcg -smp 1 -m 128 -kernel $KERNEL -initrd $INITRD \
		-append "console=ttyS0 panic=-1 cryptomgr.notests=1 L2_TESTS=cryptobench L2_BENCH_ALGS=$algs L2_BENCH_MS=$MS ${tsc_khz:+L2_TSC_KHZ=$tsc_khz}" \
		"$@" -serial file:"$con" </dev/null >"$work/$label.qemu" 2>&1 &
	qpid=$!
	l2_watch alive : 1200
	alive && kill "$qpid"
	wait "$qpid"
	qpid=''
	l2_read "$con"
	[ $L2_DONE -eq 1 ] || echo "$label: the guest gave no report (QEMU: $(tail -n 1 "$work/$label.qemu"))"
	l2_lines "# bench: *" "not ok *" | sed "s/^# bench: //; s/^/$label: /"
	echo "$label: guest ran $(l2_secs "$L2_RAN_MS") s wall clock"
}

# The L2 guest's TSC is the host's, as this VM's is: time it by this VM's
# calibration of that rate (the L2 guest has no clock to calibrate against).
tsc_khz=$(dmesg | sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9]*\)\.\([0-9]\{3\}\) MHz.*/\1\2/p' | tail -n 1)
[ -n "$tsc_khz" ] ||
	tsc_khz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9]\{3\}\) MHz processor.*/\1\2/p' | tail -n 1)
echo "TSC: ${tsc_khz:-unknown} kHz (this VM's calibration; the guest's clock when unknown)"

for f in $KERNEL $INITRD; do
	[ -r $f ] || { echo "$f missing (make guest)"; exit 1; }
done
types=(/sys/class/mdev_bus/*/mdev_supported_types/mcrypto-1q)
read -r uuid < /proc/sys/kernel/random/uuid
if [ ! -e "${types[0]}" ] || ! echo "$uuid" > "${types[0]}/create"; then
	echo "no mcrypto-1q mdev (is mcrypto loaded?)"
	uuid=''
	exit 1
fi

{
	run_guest mdev "$DEV,$SW" -device vfio-pci,sysfsdev="/sys/bus/mdev/devices/$uuid"
	run_guest qemu-builtin "$DEV" -object cryptodev-backend-builtin,id=cdev0 \
		-device virtio-crypto-pci,cryptodev=cdev0
} > "$work/figures"
cat "$work/figures"

# The ratios, from "LABEL: cbc-aes ALG SIZE B: N requests in T s (R/s, M MB/s)"
# and "LABEL: setkey ALG: N in T s (R/s)".
awk -v dev="$DEV" -v sw="$SW" '
$2 == "cbc-aes" && $6 ~ /^[0-9]+$/ {
	who = $1 == "mdev:" && $3 == sw ? "aes-generic" : $1
	sub(":", "", who)
	rate[who, $4] = $6 / $9
	sizes[$4] = 1
}
$2 == "setkey" && $4 ~ /^[0-9]+$/ && $3 == dev ":" {
	who = $1
	sub(":", "", who)
	keys[who] = $4 / $6
}
END {
	for (s in sizes) {
		if (rate["mdev", s] && rate["qemu-builtin", s])
			printf "ratio mdev/qemu-builtin at %d B: %.2f\n", s, rate["mdev", s] / rate["qemu-builtin", s]
		if (rate["mdev", s] && rate["aes-generic", s])
			printf "ratio mdev/aes-generic at %d B: %.2f\n", s, rate["mdev", s] / rate["aes-generic", s]
	}
	if (keys["mdev"] && keys["qemu-builtin"])
		printf "setkey per second: mdev %.0f, qemu-builtin %.0f (each 2 session creates + 2 destroys)\n",
		       keys["mdev"], keys["qemu-builtin"]
}' "$work/figures" | sort -t' ' -k2,2 -k4,4n
