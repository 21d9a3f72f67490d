// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/modrescue: the misc device, its permission check and the ioctl
 * dispatcher with its size-checked argument handling.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/modrescue.h>

#include "locks.h"
#include "modrescue.h"
#include "rescue.h"

/*
 * Copy an argument struct in. usize is what the caller says it built; the
 * ioctl number must encode the same size, and it must cover at least the
 * first ABI version of the struct. copy_struct_from_user() zero-fills an
 * older struct and rejects a newer one with non-zero unknown bytes.
 */
static int modrescue_copy_arg(void *karg, size_t ksize, size_t min_size,
			      unsigned int cmd, const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize != _IOC_SIZE(cmd) || usize < min_size ||
	    usize > MODRESCUE_MAX_ARG_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(karg, ksize, uarg, usize);
	/* A newer struct with fields this helper does not know: refuse. */
	return ret == -E2BIG ? -EINVAL : ret;
}

/* Copy a result out, no more than the caller's struct can hold. */
static int modrescue_copy_result(void __user *uarg, const void *karg,
				 size_t ksize, unsigned int cmd)
{
	size_t n = min_t(size_t, ksize, _IOC_SIZE(cmd));

	return copy_to_user(uarg, karg, n) ? -EFAULT : 0;
}

static long modrescue_get_version(void *arg)
{
	struct modrescue_version *ver = arg;

	if (ver->reserved)
		return -EINVAL;
	ver->size = sizeof(*ver);
	ver->abi_version = MODRESCUE_ABI_VERSION;
	ver->min_abi_version = 1;
	return 0;
}

static long modrescue_inspect(void *arg)
{
	return mr_ioctl_inspect(arg);
}

static long modrescue_prepare(void *arg)
{
	return mr_ioctl_prepare(arg);
}

static long modrescue_unblock(void *arg)
{
	return mr_ioctl_unblock(arg);
}

static long modrescue_quarantine(void *arg)
{
	return mr_ioctl_quarantine(arg);
}

static long modrescue_repair_loader(void *arg)
{
	return mr_ioctl_repair_loader(arg);
}

static long modrescue_lockwatch(void *arg)
{
	return mr_ioctl_lockwatch(arg);
}

static long modrescue_locks(void *arg)
{
	return mr_ioctl_locks(arg);
}

static long modrescue_lock_release(void *arg)
{
	return mr_ioctl_lock_release(arg);
}

static long modrescue_contain(void *arg)
{
	return mr_ioctl_contain(arg);
}

static long modrescue_leftovers(void *arg)
{
	return mr_ioctl_leftovers(arg);
}

/* One entry per command: its argument size now, and in its first ABI. */
struct modrescue_cmd {
	unsigned int nr;
	size_t size;
	size_t min_size;
	long (*handler)(void *arg);
	bool writes_kernel;	/* may change kernel memory: not under lockdown */
};

static const struct modrescue_cmd modrescue_cmds[] = {
	{ _IOC_NR(MODRESCUE_IOC_GET_VERSION), sizeof(struct modrescue_version),
	  MODRESCUE_VERSION_SIZE_V1, modrescue_get_version },
	{ _IOC_NR(MODRESCUE_IOC_INSPECT), sizeof(struct modrescue_inspect),
	  MODRESCUE_INSPECT_SIZE_V2, modrescue_inspect },
	{ _IOC_NR(MODRESCUE_IOC_PREPARE_UNLOAD),
	  sizeof(struct modrescue_prepare), MODRESCUE_PREPARE_SIZE_V2,
	  modrescue_prepare, true },
	{ _IOC_NR(MODRESCUE_IOC_UNBLOCK), sizeof(struct modrescue_unblock),
	  MODRESCUE_UNBLOCK_SIZE_V3, modrescue_unblock, true },
	{ _IOC_NR(MODRESCUE_IOC_QUARANTINE),
	  sizeof(struct modrescue_quarantine), MODRESCUE_QUARANTINE_SIZE_V3,
	  modrescue_quarantine, true },
	{ _IOC_NR(MODRESCUE_IOC_REPAIR_LOADER),
	  sizeof(struct modrescue_repair_loader),
	  MODRESCUE_REPAIR_LOADER_SIZE_V4, modrescue_repair_loader, true },
	/* Hooks every spinlock entry point: writing kernel text, in effect. */
	{ _IOC_NR(MODRESCUE_IOC_LOCKWATCH), sizeof(struct modrescue_lockwatch),
	  MODRESCUE_LOCKWATCH_SIZE_V6, modrescue_lockwatch, true },
	{ _IOC_NR(MODRESCUE_IOC_LOCKS), sizeof(struct modrescue_locks),
	  MODRESCUE_LOCKS_SIZE_V6, modrescue_locks },
	/* Writes a lock word. */
	{ _IOC_NR(MODRESCUE_IOC_LOCK_RELEASE),
	  sizeof(struct modrescue_lock_release),
	  MODRESCUE_LOCK_RELEASE_SIZE_V7, modrescue_lock_release, true },
	/* Hooks make_task_dead() and panic(), and releases locks. */
	{ _IOC_NR(MODRESCUE_IOC_CONTAIN), sizeof(struct modrescue_contain),
	  MODRESCUE_CONTAIN_SIZE_V7, modrescue_contain, true },
	/* Reads only, unless asked to undo (checked against lockdown then). */
	{ _IOC_NR(MODRESCUE_IOC_LEFTOVERS), sizeof(struct modrescue_leftovers),
	  MODRESCUE_LEFTOVERS_SIZE_V8, modrescue_leftovers },
};

/*
 * Copy the argument in, run the command, and copy the result back even on
 * failure, since some commands report what they found when refusing.
 */
static long modrescue_run(const struct modrescue_cmd *c, unsigned int cmd,
			  void __user *uarg)
{
	void *karg;
	long ret;
	int err;

	/* Writing kernel memory is what lockdown forbids, as for /dev/mem. */
	if (c->writes_kernel) {
		ret = security_locked_down(LOCKDOWN_DEV_MEM);
		if (ret)
			return ret;
	}
	karg = kzalloc(c->size, GFP_KERNEL);
	if (!karg)
		return -ENOMEM;
	ret = modrescue_copy_arg(karg, c->size, c->min_size, cmd, uarg);
	if (ret)
		goto out;
	ret = c->handler(karg);
	err = modrescue_copy_result(uarg, karg, c->size, cmd);
	if (!ret)
		ret = err;
out:
	kfree(karg);
	return ret;
}

/* Commands are matched by type and number; the size is checked per command. */
static long modrescue_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	size_t i;

	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	if (_IOC_TYPE(cmd) != MODRESCUE_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	for (i = 0; i < ARRAY_SIZE(modrescue_cmds); i++)
		if (modrescue_cmds[i].nr == _IOC_NR(cmd))
			return modrescue_run(&modrescue_cmds[i], cmd,
					     (void __user *)arg);
	return -ENOTTY;
}

/*
 * Files open on the device. Each holds a reference on the helper, which a
 * forced unload (rmmod -f) ignores: the exit then waits for the count to
 * reach zero, since an ioctl runs only through an open file.
 */
static atomic_t modrescue_files = ATOMIC_INIT(0);

static int modrescue_open(struct inode *inode, struct file *file)
{
	/* The device node is 0600, but root without CAP_SYS_MODULE is not enough. */
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	atomic_inc(&modrescue_files);
	return nonseekable_open(inode, file);
}

static int modrescue_release(struct inode *inode, struct file *file)
{
	atomic_dec(&modrescue_files);
	return 0;
}

static const struct file_operations modrescue_fops = {
	.owner = THIS_MODULE,
	.open = modrescue_open,
	.release = modrescue_release,
	.unlocked_ioctl = modrescue_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice modrescue_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = MODRESCUE_DEVICE_NAME,
	.fops = &modrescue_fops,
	.mode = 0600,
};

int modrescue_device_register(void)
{
	int ret;

	ret = misc_register(&modrescue_miscdev);
	if (ret)
		pr_err("cannot register /dev/%s: %d\n", MODRESCUE_DEVICE_NAME,
		       ret);
	return ret;
}

/*
 * No new file after this; a file still open (only a forced unload gets here
 * with one) could start an ioctl into freed code, so wait, in TASK_IDLE,
 * until the last one is closed.
 */
void modrescue_device_unregister(void)
{
	misc_deregister(&modrescue_miscdev);
	if (!atomic_read(&modrescue_files))
		return;
	pr_err("forced unload: %d file(s) still open on /dev/%s; waiting for them to be closed\n",
	       atomic_read(&modrescue_files), MODRESCUE_DEVICE_NAME);
	while (atomic_read(&modrescue_files))
		mr_wait_idle(HZ);
}
