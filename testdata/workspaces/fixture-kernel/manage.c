// SPDX-License-Identifier: GPL-2.0-only
/* irq_thread_check and state_count exist here and in chip.c: any reference needs a sympos. */
#define __used_fn __attribute__((noinline, used))

static int state_count __attribute__((used)) = 1;
static int __used_fn irq_thread_check(int irq) { return irq + state_count; }
int __used_fn manage_entry(int irq) { return irq_thread_check(irq); }
