#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Open an mdev through VFIO (type1v2 container), the way QEMU does, and show
its PASID and the endpoint's aux domains while it is open and after it closed.

usage: vfio_open.py UUID ENDPOINT      prints 'open PASID AUX' and 'closed PASID AUX'
"""
import fcntl
import os
import struct
import sys

VFIO_GET_API_VERSION = 0x3b64
VFIO_SET_IOMMU = 0x3b66
VFIO_GROUP_SET_CONTAINER = 0x3b68
VFIO_GROUP_GET_DEVICE_FD = 0x3b6a
VFIO_TYPE1v2_IOMMU = 3


def state(uuid, endpoint):
    with open(f'/sys/bus/mdev/devices/{uuid}/siov/pasid') as f:
        pasid = f.read().strip()
    aux = '?'
    with open('/sys/kernel/debug/siov_iommu/endpoints') as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == endpoint:
                aux = fields[3]
    return f'{pasid} {aux}'


def main():
    uuid, endpoint = sys.argv[1:3]
    group = os.path.basename(os.readlink(f'/sys/bus/mdev/devices/{uuid}/iommu_group'))
    container = os.open('/dev/vfio/vfio', os.O_RDWR)
    grp = os.open(f'/dev/vfio/{group}', os.O_RDWR)
    fcntl.ioctl(grp, VFIO_GROUP_SET_CONTAINER, struct.pack('i', container))
    fcntl.ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)
    dev = fcntl.ioctl(grp, VFIO_GROUP_GET_DEVICE_FD, bytearray(uuid.encode() + b'\0'), True)
    print('open', state(uuid, endpoint))
    os.close(dev)
    os.close(grp)
    os.close(container)
    print('closed', state(uuid, endpoint))


if __name__ == '__main__':
    main()
