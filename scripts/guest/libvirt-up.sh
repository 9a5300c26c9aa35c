#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bring up what libvirt needs in the lab VM, from the host's Debian packages:
# udev, the monolithic libvirtd (Debian's libvirt 9.0 has no modular daemons)
# with only its nodedev and qemu drivers, and mdevctl.  PID 1 is not systemd,
# so nothing here is socket-activated: the daemons are started by hand.
#
# Sourced (by tests/libvirt/*_test.sh and `make run`): lab_libvirt_up starts
# everything once (later calls return at once) and sets LAB_LIBVIRT_UP_MS to
# the bring-up time of the first call and LAB_LIBVIRT_UP_STEPS to its parts;
# problems go to stderr, one line each.
# Run directly, it brings libvirt up and prints that time.
#
# Debian defects worked around here, the way an administrator would:
# - mdevctl's udev rule (/lib/udev/rules.d/60-mdevctl.rules) runs
#   /usr/sbin/mdevctl, but the package installs /usr/bin/mdevctl, so defined
#   mdevs marked autostart never start when their parent appears (mdevctl#82).
#   A rule of the same name in /etc/udev/rules.d replaces the packaged one.
# - libvirt-daemon does not depend on mdevctl, yet nodedev-create/define run
#   it; scripts/deps.sh installs it, and this checks it is there.
# And what the lab VM (no systemd, no dbus, no KVM, read-only 9p root) needs:
# - libvirtd's own config file, with no polkit (there is no dbus), logs to a
#   file, and LIBVIRT_DRIVER_DIR limited to nodedev + qemu: the network,
#   storage, nwfilter, secret and interface drivers cost start-up time and the
#   lab uses none of them.
# - qemu.conf (in the VM's /etc overlay): QEMU runs as root without relabelling,
#   since the guest kernel and initramfs sit on the read-only 9p root, and its
#   stdout goes straight to /var/log/libvirt/qemu/ (no virtlogd running).
# - polkit's text agent: virsh 9.0 starts /usr/bin/pkttyagent before it
#   connects whenever it has a controlling terminal (virPolkitAgentAvailable),
#   whatever libvirtd's auth is; with no D-Bus system bus the agent fails and
#   prints "Authorization not available. Check if polkit service is running"
#   on every command.  libvirtd here authorises root without polkit
#   (auth_unix_rw = "none"), so the agent has nothing to do: the VM's
#   /usr/bin/pkttyagent is covered by a non-executable file, and virsh skips it.
# - udev: `udevadm trigger` only for pci and mdev (the mdev parents and their
#   children), not for every device: a full trigger + settle takes ~35 s here.

lab_libvirt_up() {
	local d=/run/lab-libvirt t0=${EPOCHREALTIME/./} t line i
	if [ -e $d/up ]; then
		{ read -r LAB_LIBVIRT_UP_MS; read -r LAB_LIBVIRT_UP_STEPS; } < $d/up
		return 0
	fi
	t=$t0
	LAB_LIBVIRT_UP_STEPS=
	lab_libvirt_step() {
		LAB_LIBVIRT_UP_STEPS+="$1 $(((${EPOCHREALTIME/./} - t) / 1000)) ms; "
		t=${EPOCHREALTIME/./}
	}
	mkdir -p $d/drivers /etc/udev/rules.d /var/log/libvirt/qemu

	command -v mdevctl > /dev/null ||
		{ echo "libvirt-up: mdevctl is not installed (libvirt needs it for mdevs)" >&2; return 1; }
	while IFS= read -r line; do
		printf '%s\n' "${line//\/usr\/sbin\/mdevctl//usr/bin/mdevctl}"
	done < /lib/udev/rules.d/60-mdevctl.rules > /etc/udev/rules.d/60-mdevctl.rules

	/lib/systemd/systemd-udevd --daemon 2> /dev/null ||
		{ echo "libvirt-up: systemd-udevd did not start" >&2; return 1; }
	lab_libvirt_step udevd
	udevadm trigger --action=add --subsystem-match=pci --subsystem-match=mdev --settle ||
		echo "libvirt-up: udevadm trigger failed" >&2
	lab_libvirt_step "udevadm trigger"

	# printf, not cat: every exec costs here.
	printf '%s\n' 'auth_unix_ro = "none"' 'auth_unix_rw = "none"' 'unix_sock_group = "root"' \
		'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"' > $d/libvirtd.conf
	printf '%s\n' 'user = "root"' 'group = "root"' 'dynamic_ownership = 0' 'remember_owner = 0' \
		'stdio_handler = "file"' > /etc/libvirt/qemu.conf
	if [ -x /usr/bin/pkttyagent ]; then
		: > $d/no-pkttyagent
		mount --bind $d/no-pkttyagent /usr/bin/pkttyagent ||
			echo "libvirt-up: could not hide pkttyagent; virsh on a terminal warns about polkit" >&2
	fi
	i=/usr/lib/x86_64-linux-gnu/libvirt/connection-driver
	ln -sf $i/libvirt_driver_nodedev.so $i/libvirt_driver_qemu.so $d/drivers/
	LIBVIRT_DRIVER_DIR=$d/drivers libvirtd --daemon --config $d/libvirtd.conf ||
		{ echo "libvirt-up: libvirtd did not start" >&2; return 1; }
	lab_libvirt_step "libvirtd --daemon"
	# libvirtd --daemon returns once the daemon runs; its socket may lag.
	for ((i = 0; i < 600; i++)); do
		[ -S /run/libvirt/libvirt-sock ] && break
		sleep 0.1
	done
	[ -S /run/libvirt/libvirt-sock ] ||
		{ echo "libvirt-up: libvirtd has no socket after 60 s" >&2; return 1; }
	lab_libvirt_step "socket"
	LAB_LIBVIRT_UP_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
	LAB_LIBVIRT_UP_STEPS=${LAB_LIBVIRT_UP_STEPS%; }
	printf '%s\n' "$LAB_LIBVIRT_UP_MS" "$LAB_LIBVIRT_UP_STEPS" > $d/up
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	lab_libvirt_up || exit 1
	echo "libvirt up in $LAB_LIBVIRT_UP_MS ms ($LAB_LIBVIRT_UP_STEPS)"
fi
