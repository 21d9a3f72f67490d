// SPDX-License-Identifier: GPL-2.0
/* hp_openfd: /dev/hp_openfd held open pins the module; rmmod -f frees it anyway and the later close oopses. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Refuse opens, so that no process can pin the module");

static int hp_openfd_open(struct inode *inode, struct file *file)
{
	if (healthy)
		return -EBUSY;
	pr_info("opened by %s[%d]\n", current->comm, task_pid_nr(current));
	return 0;
}

static int hp_openfd_release(struct inode *inode, struct file *file)
{
	pr_info("released by %s[%d]\n", current->comm, task_pid_nr(current));
	return 0;
}

/* Mappings outlive the fd: the module stays in use through vm_ops. */
static vm_fault_t hp_openfd_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct hp_openfd_vm_ops = {
	.fault = hp_openfd_fault,
};

static int hp_openfd_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &hp_openfd_vm_ops;
	return 0;
}

static const struct file_operations hp_openfd_fops = {
	.owner = THIS_MODULE,
	.open = hp_openfd_open,
	.release = hp_openfd_release,
	.mmap = hp_openfd_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice hp_openfd_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hp_openfd",
	.fops = &hp_openfd_fops,
	.mode = 0444,
};

static int __init hp_openfd_init(void)
{
	int ret;

	ret = misc_register(&hp_openfd_dev);
	if (ret)
		return ret;
	pr_info("init done\n");
	return 0;
}

static void __exit hp_openfd_exit(void)
{
	misc_deregister(&hp_openfd_dev);
	pr_info("exit done\n");
}

module_init(hp_openfd_init);
module_exit(hp_openfd_exit);
MODULE_DESCRIPTION("modrescue patient: misc device held open by a process");
MODULE_LICENSE("GPL");
