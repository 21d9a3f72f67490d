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
#include <linux/uaccess.h>
#include <uapi/modrescue.h>

#include "modrescue.h"

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

static long modrescue_get_version(unsigned int cmd, void __user *uarg)
{
	struct modrescue_version ver;
	int ret;

	ret = modrescue_copy_arg(&ver, sizeof(ver), MODRESCUE_VERSION_SIZE_V1,
				 cmd, uarg);
	if (ret)
		return ret;
	if (ver.reserved)
		return -EINVAL;
	ver.size = sizeof(ver);
	ver.abi_version = MODRESCUE_ABI_VERSION;
	ver.min_abi_version = 1;
	return modrescue_copy_result(uarg, &ver, sizeof(ver), cmd);
}

/* Commands are matched by type and number; the size is checked per command. */
static long modrescue_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	if (_IOC_TYPE(cmd) != MODRESCUE_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(MODRESCUE_IOC_GET_VERSION):
		return modrescue_get_version(cmd, uarg);
	default:
		return -ENOTTY;
	}
}

static int modrescue_open(struct inode *inode, struct file *file)
{
	/* The device node is 0600, but root without CAP_SYS_MODULE is not enough. */
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static const struct file_operations modrescue_fops = {
	.owner = THIS_MODULE,
	.open = modrescue_open,
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

void modrescue_device_unregister(void)
{
	misc_deregister(&modrescue_miscdev);
}
