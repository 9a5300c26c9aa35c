#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An mdma mdev driven by an unmodified guest through QEMU's vfio-pci
# (tests/l2guest/vfio-guest.sh): in the guest the stock plx_dma driver takes
# the device and the kernel's dmatest runs on its channel (dmatest.c).  The
# guest's crypto self-tests are off: it has no crypto device, and testing
# its software algorithms would only slow this test down.
set -u
. "$(dirname "$0")/vfio-guest.sh"
vfio_guest_test mdma-1q dma cryptomgr.notests=1
