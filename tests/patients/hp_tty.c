// SPDX-License-Identifier: GPL-2.0
/* hp_tty: a one-line tty driver (/dev/hp_tty0); an open tty pins the module through its cdev, while its f_op is the tty core's. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>

static struct tty_driver *hp_tty_driver;
static struct tty_port hp_tty_port;
static const struct tty_port_operations hp_tty_port_ops;

static int hp_tty_open(struct tty_struct *tty, struct file *filp)
{
	return tty_port_open(&hp_tty_port, tty, filp);
}

static void hp_tty_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(&hp_tty_port, tty, filp);
}

static const struct tty_operations hp_tty_ops = {
	.open = hp_tty_open,
	.close = hp_tty_close,
};

static int __init hp_tty_init(void)
{
	struct device *dev;
	int ret;

	hp_tty_driver = tty_alloc_driver(1, TTY_DRIVER_REAL_RAW |
					 TTY_DRIVER_DYNAMIC_DEV);
	if (IS_ERR(hp_tty_driver))
		return PTR_ERR(hp_tty_driver);
	hp_tty_driver->driver_name = "hp_tty";
	hp_tty_driver->name = "hp_tty";
	hp_tty_driver->type = TTY_DRIVER_TYPE_SERIAL;
	hp_tty_driver->subtype = SERIAL_TYPE_NORMAL;
	hp_tty_driver->init_termios = tty_std_termios;
	/* No modem lines: never wait for a carrier on open. */
	hp_tty_driver->init_termios.c_cflag |= CLOCAL;
	tty_set_operations(hp_tty_driver, &hp_tty_ops);
	tty_port_init(&hp_tty_port);
	hp_tty_port.ops = &hp_tty_port_ops;
	tty_port_link_device(&hp_tty_port, hp_tty_driver, 0);
	ret = tty_register_driver(hp_tty_driver);
	if (ret)
		goto err_put;
	dev = tty_register_device(hp_tty_driver, 0, NULL);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_unregister;
	}
	return 0;

err_unregister:
	tty_unregister_driver(hp_tty_driver);
err_put:
	tty_driver_kref_put(hp_tty_driver);
	tty_port_destroy(&hp_tty_port);
	return ret;
}

static void __exit hp_tty_exit(void)
{
	tty_unregister_device(hp_tty_driver, 0);
	tty_unregister_driver(hp_tty_driver);
	tty_driver_kref_put(hp_tty_driver);
	tty_port_destroy(&hp_tty_port);
	pr_info("exit done\n");
}

module_init(hp_tty_init);
module_exit(hp_tty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modrescue patient: a tty driver whose open tty is a user");
