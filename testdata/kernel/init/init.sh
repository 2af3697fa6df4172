#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the qemu harness initramfs (see ../mkinitramfs.sh). Runs /body.sh, then powers off.
# The markers below are what boot.sh and RealKernel look for in the serial log; keep them stable.
/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "KLP-INIT: started uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"
sh /body.sh
rc=$?
echo "KLP-INIT: body-exit=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
