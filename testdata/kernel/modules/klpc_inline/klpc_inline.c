// SPDX-License-Identifier: GPL-2.0-only
/*
 * The livepatch of klp-lsp's proof that a replaced function's inlined copies keep the old code: it replaces
 * do_proc_dointvec_conv() of kernel/sysctl.c, which Debian's 6.1 kernel has out of line (proc_dointvec()
 * reaches it through a pointer: /proc/sys/kernel/printk) and also inlined into do_proc_dointvec_minmax_conv()
 * (proc_dointvec_minmax(): /proc/sys/kernel/pid_max). The new conversion reads every value plus 1000000.
 * Built with KLPC_INLINE_CALLERS it also replaces that caller, as klp-lsp's warning advises, so both paths
 * read the new values.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define KLPC_MARK 1000000

static int klpc_dointvec_conv(bool *negp, unsigned long *lvalp, int *valp, int write, void *data)
{
	if (write) {
		if (*negp) {
			if (*lvalp > (unsigned long)INT_MAX + 1)
				return -EINVAL;
			WRITE_ONCE(*valp, -*lvalp);
		} else {
			if (*lvalp > (unsigned long)INT_MAX)
				return -EINVAL;
			WRITE_ONCE(*valp, *lvalp);
		}
	} else {
		int val = READ_ONCE(*valp);

		if (val < 0) {
			*negp = true;
			*lvalp = -(unsigned long)val;
		} else {
			*negp = false;
			*lvalp = (unsigned long)val + KLPC_MARK;
		}
	}
	return 0;
}

#ifdef KLPC_INLINE_CALLERS
/* kernel/sysctl.c keeps this structure to itself. */
struct do_proc_dointvec_minmax_conv_param {
	int *min;
	int *max;
};

static int klpc_dointvec_minmax_conv(bool *negp, unsigned long *lvalp, int *valp, int write, void *data)
{
	int tmp, ret;
	struct do_proc_dointvec_minmax_conv_param *param = data;
	int *ip = write ? &tmp : valp;

	ret = klpc_dointvec_conv(negp, lvalp, ip, write, data);
	if (ret)
		return ret;
	if (write) {
		if ((param->min && *param->min > tmp) || (param->max && *param->max < tmp))
			return -EINVAL;
		WRITE_ONCE(*valp, tmp);
	}
	return 0;
}
#endif

/* The replaced caller is one more entry when built with KLPC_INLINE_CALLERS. */
#ifdef KLPC_INLINE_CALLERS
#define KLPC_CALLERS { .old_name = "do_proc_dointvec_minmax_conv", .new_func = klpc_dointvec_minmax_conv },
#else
#define KLPC_CALLERS
#endif

static struct klp_func funcs[] = {
	{
		.old_name = "do_proc_dointvec_conv",
		.new_func = klpc_dointvec_conv,
	},
	KLPC_CALLERS
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int klpc_inline_init(void)
{
	return klp_enable_patch(&patch);
}

static void klpc_inline_exit(void)
{
}

module_init(klpc_inline_init);
module_exit(klpc_inline_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
