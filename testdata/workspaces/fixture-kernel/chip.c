// SPDX-License-Identifier: GPL-2.0-only
/* The second copies of irq_thread_check and state_count, and a function that only exists as a clone. */
#define __used_fn __attribute__((noinline, used))

static int state_count __attribute__((used)) = 2;
static int __used_fn irq_thread_check(int irq) { return irq * 2 + state_count; }
/* gcc names interprocedural clones like this; an asm label reproduces the name without relying on -O2. */
static int __used_fn setup_chip(int irq) __asm__("setup_chip.isra.0");
static int setup_chip(int irq) { return irq - 3; }
int __used_fn chip_entry(int irq) { return irq_thread_check(irq) + setup_chip(irq); }
