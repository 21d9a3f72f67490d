// SPDX-License-Identifier: GPL-2.0
/*
 * hp_leftover: init registers one thing of kind= (timer, hrtimer, delayed
 * work, misc device, /proc file, reboot notifier, char device, platform
 * driver, IRQ handler) that points into the module; exit oopses before it
 * undoes it (crash=exit), or init oopses after (crash=init) or before
 * (crash=early) registering it.
 *
 * heap=1: the timer, hrtimer, delayed work, misc device or notifier lives
 * in a kzalloc'd object whose pointer the module keeps, as real drivers do
 * (the char device comes from cdev_alloc()); heap=0: in module data. id=N
 * is appended to every registered name (hp_leftoverN), so that several
 * copies can coexist. irq=N: the shared line for kind=irq. The timer,
 * hrtimer and delayed work re-arm themselves every 50 ms and count in the
 * read-only parameter ticks. An exit that runs although init crashed
 * (crash=init or early) says "exit ran" and oopses, so it never goes
 * unnoticed. healthy=1: nothing crashes and exit undoes everything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/proc_fs.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: no oops, exit undoes everything");

static char *kind = "none";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "none, timer, hrtimer, dwork, misc, proc, reboot, chrdev, platform or irq");

static char *crash = "exit";
module_param(crash, charp, 0444);
MODULE_PARM_DESC(crash, "exit: exit oopses first; init: init oopses after registering; early: before");

static bool heap;
module_param(heap, bool, 0444);
MODULE_PARM_DESC(heap, "Register an object kzalloc'd (or cdev_alloc'd), not one in module data");

static unsigned int id;
module_param(id, uint, 0444);
MODULE_PARM_DESC(id, "Appended to every registered name: hp_leftover<id>");

static int irq = 9;
module_param(irq, int, 0444);
MODULE_PARM_DESC(irq, "The shared interrupt line kind=irq asks for (9: ACPI's SCI)");

static unsigned int ticks;
module_param(ticks, uint, 0444);
MODULE_PARM_DESC(ticks, "How often the timer, hrtimer or delayed work has run");

#define HP_PERIOD_MS 50

enum hp_kind {
	HP_NONE, HP_TIMER, HP_HRTIMER, HP_DWORK, HP_MISC, HP_PROC, HP_REBOOT,
	HP_CHRDEV, HP_PLATFORM, HP_IRQ,
};

static const char * const hp_kinds[] = {
	[HP_NONE] = "none", [HP_TIMER] = "timer", [HP_HRTIMER] = "hrtimer",
	[HP_DWORK] = "dwork", [HP_MISC] = "misc", [HP_PROC] = "proc",
	[HP_REBOOT] = "reboot", [HP_CHRDEV] = "chrdev",
	[HP_PLATFORM] = "platform", [HP_IRQ] = "irq",
};

static enum hp_kind hp_kind;
static char hp_name[32];	/* hp_leftover<id> */
static int *hp_nowhere;		/* never set: stays NULL */

/* The objects a kind registers: in module data, or kzalloc'd (heap=1). */
struct hp_leftover_objs {
	struct timer_list timer;
	struct hrtimer hrtimer;
	struct delayed_work dwork;
	struct miscdevice misc;
	struct notifier_block nb;
};

static struct hp_leftover_objs hp_static_objs;
static struct hp_leftover_objs *hp_objs;

static struct proc_dir_entry *hp_proc;
static dev_t hp_devt;
static struct cdev hp_static_cdev;
static struct cdev *hp_cdev;
static struct platform_device *hp_pdev;
static int hp_irq_cookie;	/* request_irq()'s dev_id */

static void hp_oops(const char *where)
{
	int *p = READ_ONCE(hp_nowhere);

	pr_info("dereferencing NULL in %s\n", where);
	*p = 1;
}

static void hp_leftover_tick(struct timer_list *t)
{
	WRITE_ONCE(ticks, ticks + 1);
	mod_timer(t, jiffies + msecs_to_jiffies(HP_PERIOD_MS));
}

static enum hrtimer_restart hp_leftover_hrtick(struct hrtimer *t)
{
	WRITE_ONCE(ticks, ticks + 1);
	hrtimer_forward_now(t, ms_to_ktime(HP_PERIOD_MS));
	return HRTIMER_RESTART;
}

static void hp_leftover_work(struct work_struct *work)
{
	struct delayed_work *dw = to_delayed_work(work);

	WRITE_ONCE(ticks, ticks + 1);
	schedule_delayed_work(dw, msecs_to_jiffies(HP_PERIOD_MS));
}

static int hp_leftover_reboot(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	pr_info("%s: reboot notifier called (action %lu)\n", hp_name, action);
	return NOTIFY_DONE;
}

static irqreturn_t hp_leftover_irq(int line, void *dev_id)
{
	WRITE_ONCE(ticks, ticks + 1);
	return IRQ_NONE;
}

static int hp_leftover_open(struct inode *inode, struct file *file)
{
	return 0;
}

static ssize_t hp_leftover_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	char msg[48];
	int len = scnprintf(msg, sizeof(msg), "%s %u\n", hp_name,
			    READ_ONCE(ticks));

	return simple_read_from_buffer(buf, count, ppos, msg, len);
}

static const struct file_operations hp_leftover_fops = {
	.owner = THIS_MODULE,
	.open = hp_leftover_open,
	.read = hp_leftover_read,
};

static int hp_leftover_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s %u\n", hp_name, READ_ONCE(ticks));
	return 0;
}

static int hp_leftover_proc_open(struct inode *inode, struct file *file)
{
	return single_open(file, hp_leftover_proc_show, NULL);
}

static const struct proc_ops hp_leftover_proc_ops = {
	.proc_open = hp_leftover_proc_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int hp_leftover_probe(struct platform_device *pdev)
{
	pr_info("%s: probe %s\n", hp_name, dev_name(&pdev->dev));
	return 0;
}

static void hp_leftover_remove(struct platform_device *pdev)
{
	pr_info("%s: remove %s\n", hp_name, dev_name(&pdev->dev));
}

/*
 * .remove_new: the void remove of 6.1 (where .remove returns int) up to
 * 6.12 (where both are void, in a union).
 */
static struct platform_driver hp_leftover_driver = {
	.probe = hp_leftover_probe,
	.remove_new = hp_leftover_remove,
	.driver = {
		.name = hp_name,
		.owner = THIS_MODULE,
	},
};

static int hp_register_chrdev(void)
{
	int ret;

	ret = alloc_chrdev_region(&hp_devt, 0, 1, hp_name);
	if (ret)
		return ret;
	if (heap) {
		hp_cdev = cdev_alloc();
		if (!hp_cdev) {
			unregister_chrdev_region(hp_devt, 1);
			return -ENOMEM;
		}
		hp_cdev->ops = &hp_leftover_fops;
		hp_cdev->owner = THIS_MODULE;
	} else {
		hp_cdev = &hp_static_cdev;
		cdev_init(hp_cdev, &hp_leftover_fops);
		hp_cdev->owner = THIS_MODULE;
	}
	ret = cdev_add(hp_cdev, hp_devt, 1);
	if (ret) {
		kobject_put(&hp_cdev->kobj);
		unregister_chrdev_region(hp_devt, 1);
		return ret;
	}
	pr_info("%s: char device %u:%u\n", hp_name, MAJOR(hp_devt),
		MINOR(hp_devt));
	return 0;
}

static int hp_register_platform(void)
{
	int ret;

	ret = platform_driver_register(&hp_leftover_driver);
	if (ret)
		return ret;
	hp_pdev = platform_device_register_simple(hp_name, -1, NULL, 0);
	if (IS_ERR(hp_pdev)) {
		platform_driver_unregister(&hp_leftover_driver);
		return PTR_ERR(hp_pdev);
	}
	return 0;
}

/* Register what kind= asks for; hp_objs is set. */
static int hp_register(void)
{
	struct hp_leftover_objs *o = hp_objs;
	int ret = 0;

	switch (hp_kind) {
	case HP_NONE:
		break;
	case HP_TIMER:
		timer_setup(&o->timer, hp_leftover_tick, 0);
		mod_timer(&o->timer, jiffies + msecs_to_jiffies(HP_PERIOD_MS));
		break;
	case HP_HRTIMER:
		hrtimer_init(&o->hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		o->hrtimer.function = hp_leftover_hrtick;
		hrtimer_start(&o->hrtimer, ms_to_ktime(HP_PERIOD_MS),
			      HRTIMER_MODE_REL);
		break;
	case HP_DWORK:
		INIT_DELAYED_WORK(&o->dwork, hp_leftover_work);
		schedule_delayed_work(&o->dwork,
				      msecs_to_jiffies(HP_PERIOD_MS));
		break;
	case HP_MISC:
		o->misc.minor = MISC_DYNAMIC_MINOR;
		o->misc.name = hp_name;
		o->misc.fops = &hp_leftover_fops;
		ret = misc_register(&o->misc);
		if (!ret)
			pr_info("misc device /dev/%s (10:%d)\n", hp_name,
				o->misc.minor);
		break;
	case HP_PROC:
		hp_proc = proc_create(hp_name, 0444, NULL,
				      &hp_leftover_proc_ops);
		if (!hp_proc)
			ret = -ENOMEM;
		break;
	case HP_REBOOT:
		o->nb.notifier_call = hp_leftover_reboot;
		ret = register_reboot_notifier(&o->nb);
		break;
	case HP_CHRDEV:
		ret = hp_register_chrdev();
		break;
	case HP_PLATFORM:
		ret = hp_register_platform();
		break;
	case HP_IRQ:
		ret = request_irq(irq, hp_leftover_irq, IRQF_SHARED, hp_name,
				  &hp_irq_cookie);
		break;
	}
	return ret;
}

/* Undo what hp_register() did: what a healthy exit does. */
static void hp_unregister(void)
{
	struct hp_leftover_objs *o = hp_objs;

	switch (hp_kind) {
	case HP_NONE:
		break;
	case HP_TIMER:
		timer_delete_sync(&o->timer);
		break;
	case HP_HRTIMER:
		hrtimer_cancel(&o->hrtimer);
		break;
	case HP_DWORK:
		cancel_delayed_work_sync(&o->dwork);
		break;
	case HP_MISC:
		misc_deregister(&o->misc);
		break;
	case HP_PROC:
		proc_remove(hp_proc);
		break;
	case HP_REBOOT:
		unregister_reboot_notifier(&o->nb);
		break;
	case HP_CHRDEV:
		cdev_del(hp_cdev);
		unregister_chrdev_region(hp_devt, 1);
		break;
	case HP_PLATFORM:
		platform_device_unregister(hp_pdev);
		platform_driver_unregister(&hp_leftover_driver);
		break;
	case HP_IRQ:
		free_irq(irq, &hp_irq_cookie);
		break;
	}
}

static int __init hp_leftover_init(void)
{
	bool crash_init = !healthy && !strcmp(crash, "init");
	bool crash_early = !healthy && !strcmp(crash, "early");
	int ret;

	ret = match_string(hp_kinds, ARRAY_SIZE(hp_kinds), kind);
	if (ret < 0 || (strcmp(crash, "exit") && strcmp(crash, "init") &&
			strcmp(crash, "early"))) {
		pr_err("bad kind=%s or crash=%s\n", kind, crash);
		return -EINVAL;
	}
	hp_kind = ret;
	snprintf(hp_name, sizeof(hp_name), "hp_leftover%u", id);

	if (crash_early)
		hp_oops("init, before registering anything");

	if (heap) {
		hp_objs = kzalloc(sizeof(*hp_objs), GFP_KERNEL);
		if (!hp_objs)
			return -ENOMEM;
	} else {
		hp_objs = &hp_static_objs;
	}
	ret = hp_register();
	if (ret) {
		pr_err("%s: cannot register %s: %d\n", hp_name, kind, ret);
		if (heap)
			kfree(hp_objs);
		return ret;
	}
	pr_info("%s: registered %s (%s)\n", hp_name, kind,
		heap ? "heap" : "static");

	if (crash_init)
		hp_oops("init, after registering");
	pr_info("init done\n");
	return 0;
}

static void __exit hp_leftover_exit(void)
{
	if (!healthy) {
		/* After a crashed init this must never run: say so loudly. */
		if (strcmp(crash, "exit"))
			pr_err("exit ran although init crashed (crash=%s)\n",
			       crash);
		hp_oops("exit, before undoing anything");
	}
	hp_unregister();
	if (heap)
		kfree(hp_objs);
	pr_info("exit done\n");
}

module_init(hp_leftover_init);
module_exit(hp_leftover_exit);
MODULE_DESCRIPTION("modrescue patient: what a crashed exit or init leaves registered");
MODULE_LICENSE("GPL");
