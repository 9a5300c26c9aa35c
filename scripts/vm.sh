#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the lab VM: our kernel, the host's root filesystem shared read-only
# over virtio-9p (the guest puts tmpfs/overlayfs on the paths it writes, the
# way virtme-ng does), and a writable 9p share for results.  The guest runs
# build/vm-init (scripts/vm-init.c) as PID 1 and leaves through isa-debug-exit.
#
# usage: vm.sh MODE OUTDIR     MODE: check | run | shell | exec
# env:   LAB_TIMEOUT (seconds, default 1800), LAB_MEM (default 4G),
#        LAB_SMP (default 2), FAIL_DEMO (see tests/faildemo), LAB_APPEND,
#        LAB_EXEC (exec mode: a script to run in the guest, with $LAB_OUT
#        as its writable results directory),
#        LAB_KERNEL, LAB_MODROOT (another bzImage and its modules_install
#        root, to boot a kernel tree other than build/linux), LAB_KO_DIR
#        (where our .ko files for that kernel are: a copy of the module tree
#        built against it; default the repository)
#
# Exit status: 0 when the guest reached the end of its script, 2 when it died
# (panic, oops with oops=panic, WARN with panic_on_warn, or init exiting),
# 3 on timeout, 4 when QEMU itself failed.
set -uo pipefail

mode=$1 out=$2
lab=$(cd "$(dirname "$0")/.." && pwd)
kernel=${LAB_KERNEL:-$lab/build/linux/arch/x86/boot/bzImage}
modroot=$(realpath "${LAB_MODROOT:-$lab/build/modroot}")
timeout=${LAB_TIMEOUT:-1800}

rm -rf "$out"
mkdir -p "$out"
console=$out/console.log

# KVM when it works: some machines have a /dev/kvm that cannot run a guest
# (QEMU aborts setting an MSR, or the vCPU never runs).  Probe once per build
# directory by booting the kernel far enough to print its banner; LAB_ACCEL
# (kvm or tcg) overrides.
kvm_works() {
	[ -w /dev/kvm ] || return 1
	timeout 10 qemu-system-x86_64 -nodefaults -display none -no-reboot -accel kvm -cpu host \
		-m 256 -kernel "$kernel" -append "console=ttyS0 earlyprintk=serial panic=-1" \
		-serial stdio </dev/null 2>&1 | grep -q -m1 'Linux version'
}
accel=${LAB_ACCEL:-$(cat "$lab/build/accel" 2>/dev/null)}
if [ -z "$accel" ]; then
	accel=tcg
	kvm_works && accel=kvm
	echo "$accel" > "$lab/build/accel"
fi
if [ "$accel" = kvm ]; then
	accel=(-accel kvm -cpu host)
else
	# TCG runs `rep movsb` a byte at a time, and the kernel's memcpy
	# uses it on CPUs with ERMS or FSRM: hiding them makes every
	# in-kernel copy about 6x faster (420 -> 2600 MB/s measured here).
	accel=(-accel tcg,thread=multi -cpu max,-erms,-fsrm)
fi

interactive=
if [ "$mode" = shell ] || { [ "$mode" = run ] && [ -t 0 ] && [ -t 1 ]; }; then
	interactive=1
fi
guest_mode=$mode
[ "$mode" = shell ] && guest_mode=run

append="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 loglevel=7"
append+=" panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1 hung_task_panic=1"
append+=" root=labroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro"
append+=" init=$lab/build/vm-init LAB_DIR=$lab LAB_MODE=$guest_mode LAB_TTY=$interactive LAB_FAIL_DEMO=${FAIL_DEMO:-}"
append+=" LAB_MODROOT=$modroot LAB_EXEC=${LAB_EXEC:-} LAB_KO_DIR=${LAB_KO_DIR:-$lab}"
[ -n "${LAB_APPEND:-}" ] && append+=" $LAB_APPEND"

qemu=(qemu-system-x86_64 -nodefaults -no-reboot -display none
	-machine q35 "${accel[@]}" -m "${LAB_MEM:-4G}" -smp "${LAB_SMP:-2}"
	-kernel "$kernel" -append "$append"
	-fsdev local,id=root,path=/,readonly=on,security_model=none,multidevs=remap
	-device virtio-9p-pci,fsdev=root,mount_tag=labroot
	-fsdev local,id=out,path="$out",security_model=none
	-device virtio-9p-pci,fsdev=out,mount_tag=labout
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)

if [ -n "$interactive" ]; then
	# Interactive: the kernel's console (ttyS0, the whole log) goes to
	# the console log; the terminal is the second serial port (ttyS1),
	# where the guest shows its progress, the summary and the shell.
	echo "lab: booting the VM; this terminal is its second serial port (Ctrl-A X quits QEMU)"
	echo "lab: the kernel's console is logged to ${console#"$lab"/}"
	"${qemu[@]}" -serial file:"$console" -serial mon:stdio
	rc=$?
	[ $rc -le 1 ] && exit 0	# finished, or the user quit QEMU
else
	# Batch: the console goes to a log; the guest's "LAB:" progress lines
	# are shown as they come.
	echo "lab: booting the VM (console log: ${console#"$lab"/})"
	timeout --foreground -k 10 "$timeout" "${qemu[@]}" -serial stdio </dev/null >"$console" 2>&1 &
	qpid=$!
	tail -s 0.2 -n +1 --pid=$qpid -f "$console" 2>/dev/null | grep --line-buffered -a '^LAB: ' | sed -u 's/^LAB: /  vm: /' &
	wait $qpid
	rc=$?
	wait
	[ -f "$out/summary.txt" ] && cat "$out/summary.txt"
fi

case $rc in
1) exit 0 ;;	# isa-debug-exit with 0: the guest finished its script
0) echo "lab: the guest died before finishing (panic, oops or WARN; -no-reboot turned its reboot into an exit)" >&2; exit 2 ;;
124|137) echo "lab: the VM timed out after ${timeout}s" >&2; exit 3 ;;
*) echo "lab: QEMU exited with status $rc" >&2; exit 4 ;;
esac
