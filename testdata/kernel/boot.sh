#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# boot.sh VMLINUZ INITRD SERIAL_LOG [SECOND_SERIAL_FILE]
#
# Boots VMLINUZ with INITRD under qemu TCG (KVM is not usable on the CI machines, see
# shared/reference/real-kernel.md §2) and writes the console (ttyS0) to SERIAL_LOG. With a fourth argument the
# guest's ttyS1 goes to that file, which is how bulk data such as /proc/kallsyms leaves the guest.
# Environment: BOOT_TIMEOUT (seconds, default 300), BOOT_APPEND (extra kernel command line).
# Exit status: qemu's (0 after poweroff -f), 124 when the timeout killed it.
# oops=panic panic=-1 -no-reboot turn every oops into a quick exit instead of a hang.
set -uo pipefail
export LC_ALL=C

if [ $# -lt 3 ]; then
    echo "usage: $0 VMLINUZ INITRD SERIAL_LOG [SECOND_SERIAL_FILE]" >&2
    exit 2
fi
kernel=$1 initrd=$2 log=$3
serial=(-serial mon:stdio)
if [ $# -ge 4 ]; then
    # A lone "-serial file:" would replace the console port, so ttyS0 stays on stdio explicitly.
    serial+=(-serial "file:$4")
fi
command -v qemu-system-x86_64 >/dev/null || { echo "$0: qemu-system-x86_64 is not installed" >&2; exit 1; }

timeout --kill-after=10 "${BOOT_TIMEOUT:-300}" qemu-system-x86_64 \
    -accel tcg -cpu max -m 1G -smp 1 -nographic -no-reboot \
    "${serial[@]}" \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 oops=panic nokaslr loglevel=7 ${BOOT_APPEND:-}" \
    </dev/null >"$log" 2>&1
