// SPDX-License-Identifier: GPL-2.0
/*
 * hp_netoops: registers a net device with its own ops, and its exit oopses
 * before unregistering it. The module is left GOING while the device still
 * calls into its code: clearing exit and freeing the module would leave
 * hpnet0 pointing at freed memory, so a rescue must refuse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <net/net_namespace.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: unregister the device in exit");

static bool caller_netns;
module_param(caller_netns, bool, 0444);
MODULE_PARM_DESC(caller_netns, "Register the device in the loader's network namespace");

static int *hp_nowhere;		/* never set: stays NULL */
static struct net_device *hp_netdev;

static netdev_tx_t hp_netoops_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops hp_netoops_ops = {
	.ndo_start_xmit = hp_netoops_xmit,
};

static void hp_netoops_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &hp_netoops_ops;
	eth_hw_addr_random(dev);
}

static int __init hp_netoops_init(void)
{
	int ret;

	hp_netdev = alloc_netdev(0, "hpnet%d", NET_NAME_ENUM, hp_netoops_setup);
	if (!hp_netdev)
		return -ENOMEM;
	/* The namespace outlives the device: its teardown moves it home. */
	if (caller_netns)
		dev_net_set(hp_netdev, current->nsproxy->net_ns);
	ret = register_netdev(hp_netdev);
	if (ret) {
		free_netdev(hp_netdev);
		return ret;
	}
	pr_info("registered %s\n", hp_netdev->name);
	return 0;
}

static void __exit hp_netoops_exit(void)
{
	if (!healthy) {
		int *p = READ_ONCE(hp_nowhere);

		pr_info("dereferencing NULL in exit, %s still registered\n",
			hp_netdev->name);
		*p = 1;
	}
	unregister_netdev(hp_netdev);
	free_netdev(hp_netdev);
	pr_info("exit done\n");
}

module_init(hp_netoops_init);
module_exit(hp_netoops_exit);
MODULE_DESCRIPTION("modrescue patient: oops in exit with a net device registered");
MODULE_LICENSE("GPL");
