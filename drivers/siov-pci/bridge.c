// SPDX-License-Identifier: GPL-2.0
/*
 * A software PCI host bridge carrying simulated Scalable-IOV endpoints.
 *
 * The module registers a PCI domain of its own: a root bus whose config
 * accessors (struct pci_ops) read and write in-memory config spaces
 * (endpoint.c) instead of reaching hardware, the technique the VMD and
 * Hyper-V vPCI host drivers use for buses the firmware does not describe.
 * On x86 the domain number lives in struct pci_sysdata.  The PCI core then
 * enumerates the endpoints like any others: sysfs, lspci, driver binding
 * and IOMMU probing all see ordinary PCI devices.
 *
 * Parameters (read-only once loaded):
 *   devices=     endpoints per kind, "kind[:count]" separated by commas,
 *                kinds dma, crypto, net, nopasid; default one each of dma,
 *                crypto and net; 1 to 32 endpoints in all.  They take slots
 *                00.0, 01.0, ... in kind order dma, crypto, net, nopasid.
 *   domain=      PCI domain (segment) number, 0..0xffff, default 0x5105;
 *                loading fails with -EBUSY if a root bus already uses it.
 *   pasid_width= Max PASID Width of the PASID capability, 0..20, default 20.
 *   pcie_type=   "rciep" (default; Root Complex Integrated Endpoints) or
 *                "endpoint" (PCI Express Endpoints with a link).
 * A bad value fails the load with -EINVAL and a message; nothing stays
 * registered.
 *
 * The endpoints have no reset method (no FLR, No_Soft_Reset set, and a root
 * bus cannot be reset), no interrupts and no BARs: see endpoint.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <siov/siov_pci.h>

#include "endpoint.h"

/* One function per slot on the root bus. */
#define SIOV_PCI_MAX_ENDPOINTS	32
#define SIOV_PCI_ROOT_BUS	0

static char *devices = "dma:1,crypto:1,net:1";
static unsigned int domain = 0x5105;
static unsigned int pasid_width = SIOV_PCI_PASID_WIDTH_MAX;
static char *pcie_type = "rciep";

/**
 * struct siov_pci_host - the software host bridge
 * @sysdata: x86 PCI sysdata (the domain number); bus->sysdata points here
 * @lock: serialises config accesses (x86 PCI config access is lockless in
 *	the core, and accessors may run in atomic context)
 * @parent: the root device the host bridge sits under (/sys/devices/siov_pci)
 * @bridge: the host bridge; its bus is our root bus
 * @busn: the bus-number window of the root bus (bus 00 only)
 * @nr_eps: number of endpoints, in slots 0 .. @nr_eps - 1
 * @eps: the endpoints, by slot
 */
struct siov_pci_host {
	struct pci_sysdata sysdata;
	raw_spinlock_t lock;
	struct device *parent;
	struct pci_host_bridge *bridge;
	struct resource busn;
	unsigned int nr_eps;
	struct siov_pci_ep *eps[SIOV_PCI_MAX_ENDPOINTS];
};

static struct siov_pci_host *siov_pci_host;

static struct siov_pci_host *siov_pci_host_of(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct siov_pci_host, sysdata);
}

static struct siov_pci_ep *siov_pci_ep_at(struct pci_bus *bus,
					  unsigned int devfn)
{
	struct siov_pci_host *host = siov_pci_host_of(bus);

	if (bus->number != SIOV_PCI_ROOT_BUS || PCI_FUNC(devfn) != 0 ||
	    PCI_SLOT(devfn) >= host->nr_eps)
		return NULL;
	return host->eps[PCI_SLOT(devfn)];
}

static bool siov_pci_access_ok(int where, int size)
{
	return (size == 1 || size == 2 || size == 4) && where >= 0 &&
	       where + size <= PCI_CFG_SPACE_EXP_SIZE && !(where & (size - 1));
}

static int siov_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
			 int size, u32 *val)
{
	struct siov_pci_host *host = siov_pci_host_of(bus);
	struct siov_pci_ep *ep = siov_pci_ep_at(bus, devfn);
	unsigned long flags;

	if (!ep) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	if (!siov_pci_access_ok(where, size)) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_BAD_REGISTER_NUMBER;
	}

	raw_spin_lock_irqsave(&host->lock, flags);
	*val = siov_pci_ep_read(ep, where, size);
	raw_spin_unlock_irqrestore(&host->lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static int siov_pci_write(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 val)
{
	struct siov_pci_host *host = siov_pci_host_of(bus);
	struct siov_pci_ep *ep = siov_pci_ep_at(bus, devfn);
	unsigned long flags;

	if (!ep)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (!siov_pci_access_ok(where, size))
		return PCIBIOS_BAD_REGISTER_NUMBER;

	raw_spin_lock_irqsave(&host->lock, flags);
	siov_pci_ep_write(ep, where, size, val);
	raw_spin_unlock_irqrestore(&host->lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops siov_pci_ops = {
	.read = siov_pci_read,
	.write = siov_pci_write,
};

/**
 * siov_pci_to_endpoint() - the simulated endpoint behind a PCI device
 * @pdev: any PCI device
 *
 * For device models (and the software IOMMU) that need to know which
 * simulated endpoint they drive.  The result stays valid as long as @pdev
 * is on the bus; since calling this function makes the caller's module
 * depend on siov_pci, that is at least as long as the caller is loaded.
 *
 * Return: the endpoint, or NULL if @pdev is not one of ours.
 */
struct siov_pci_endpoint *siov_pci_to_endpoint(struct pci_dev *pdev)
{
	struct siov_pci_ep *ep;

	if (!pdev || pdev->bus->ops != &siov_pci_ops)
		return NULL;
	ep = siov_pci_ep_at(pdev->bus, pdev->devfn);
	return ep ? &ep->pub : NULL;
}
EXPORT_SYMBOL_GPL(siov_pci_to_endpoint);

static int siov_pci_kind_parse(const char *name)
{
	int kind;

	for (kind = 0; kind < SIOV_PCI_NR_KINDS; kind++)
		if (!strcmp(name, siov_pci_kind_name(kind)))
			return kind;
	return -EINVAL;
}

/* devices= into a count per kind; messages name the offending part. */
static int siov_pci_parse_devices(const char *spec,
				  unsigned int count[SIOV_PCI_NR_KINDS])
{
	bool seen[SIOV_PCI_NR_KINDS] = {};
	unsigned int total = 0;
	char *buf, *cursor, *item;
	int ret = -EINVAL;

	if (!spec || !*spec) {
		pr_err("devices= is empty: give e.g. devices=dma:1,crypto:1,net:1\n");
		return -EINVAL;
	}
	buf = kstrdup(spec, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	cursor = buf;
	while ((item = strsep(&cursor, ","))) {
		char *colon = strchr(item, ':');
		unsigned int n = 1;
		int kind;

		if (colon) {
			*colon = '\0';
			if (kstrtouint(colon + 1, 10, &n) ||
			    n > SIOV_PCI_MAX_ENDPOINTS) {
				pr_err("devices=%s: bad count \"%s\" for kind \"%s\" (0..%d)\n",
				       spec, colon + 1, item,
				       SIOV_PCI_MAX_ENDPOINTS);
				goto out;
			}
		}
		kind = siov_pci_kind_parse(item);
		if (kind < 0) {
			pr_err("devices=%s: unknown kind \"%s\" (kinds: dma, crypto, net, nopasid)\n",
			       spec, item);
			goto out;
		}
		if (seen[kind]) {
			pr_err("devices=%s: kind \"%s\" given twice\n",
			       spec, item);
			goto out;
		}
		seen[kind] = true;
		count[kind] = n;
		total += n;
	}

	if (!total || total > SIOV_PCI_MAX_ENDPOINTS) {
		pr_err("devices=%s: %u endpoints in all; 1..%d are possible\n",
		       spec, total, SIOV_PCI_MAX_ENDPOINTS);
		goto out;
	}
	ret = 0;
out:
	kfree(buf);
	return ret;
}

/*
 * The parameters are checked as they are parsed, before the module is
 * linked into sysfs: a load with a bad one fails at once and leaves
 * nothing to tear down.
 */
static int siov_pci_devices_set(const char *val, const struct kernel_param *kp)
{
	unsigned int count[SIOV_PCI_NR_KINDS] = {};
	int ret = siov_pci_parse_devices(val, count);

	return ret ?: param_set_charp(val, kp);
}

static const struct kernel_param_ops siov_pci_devices_ops = {
	.set	= siov_pci_devices_set,
	.get	= param_get_charp,
	.free	= param_free_charp,
};
module_param_cb(devices, &siov_pci_devices_ops, &devices, 0444);
MODULE_PARM_DESC(devices,
		 "endpoints per kind, e.g. dma:2,crypto:1,net:1,nopasid:1 (kinds dma, crypto, net, nopasid; 1..32 in all)");

static int siov_pci_domain_set(const char *val, const struct kernel_param *kp)
{
	unsigned int nr;

	if (kstrtouint(val, 0, &nr) || nr > 0xffff) {
		pr_err("domain=%s: a PCI domain (segment) number is 0..0xffff\n", val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = nr;
	return 0;
}

static const struct kernel_param_ops siov_pci_domain_ops = {
	.set	= siov_pci_domain_set,
	.get	= param_get_hexint,
};
module_param_cb(domain, &siov_pci_domain_ops, &domain, 0444);
MODULE_PARM_DESC(domain, "PCI domain number of the software host bridge, 0..0xffff (default 0x5105)");

static int siov_pci_pasid_width_set(const char *val, const struct kernel_param *kp)
{
	if (param_set_uint_minmax(val, kp, 0, SIOV_PCI_PASID_WIDTH_MAX)) {
		pr_err("pasid_width=%s: the PASID capability allows 0..%d\n",
		       val, SIOV_PCI_PASID_WIDTH_MAX);
		return -EINVAL;
	}
	return 0;
}

static const struct kernel_param_ops siov_pci_pasid_width_ops = {
	.set	= siov_pci_pasid_width_set,
	.get	= param_get_uint,
};
module_param_cb(pasid_width, &siov_pci_pasid_width_ops, &pasid_width, 0444);
MODULE_PARM_DESC(pasid_width, "Max PASID Width the endpoints advertise, 0..20 (default 20)");

static int siov_pci_pcie_type_set(const char *val, const struct kernel_param *kp)
{
	if (!sysfs_streq(val, "rciep") && !sysfs_streq(val, "endpoint")) {
		pr_err("pcie_type=%s: expected rciep or endpoint\n", val);
		return -EINVAL;
	}
	return param_set_charp(val, kp);
}

static const struct kernel_param_ops siov_pci_pcie_type_ops = {
	.set	= siov_pci_pcie_type_set,
	.get	= param_get_charp,
	.free	= param_free_charp,
};
module_param_cb(pcie_type, &siov_pci_pcie_type_ops, &pcie_type, 0444);
MODULE_PARM_DESC(pcie_type, "rciep (Root Complex Integrated Endpoint, default) or endpoint (PCI Express Endpoint with a link)");

static void siov_pci_host_free(struct siov_pci_host *host)
{
	unsigned int i;

	for (i = 0; i < host->nr_eps; i++)
		kfree(host->eps[i]);
	kfree(host);
}

static struct siov_pci_host *siov_pci_host_alloc(void)
{
	unsigned int count[SIOV_PCI_NR_KINDS] = {};
	struct siov_pci_host *host;
	bool link;
	int kind, ret;

	/* The setters above checked the parameters as the module was loaded. */
	ret = siov_pci_parse_devices(devices, count);
	if (ret)
		return ERR_PTR(ret);
	link = sysfs_streq(pcie_type, "endpoint");

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return ERR_PTR(-ENOMEM);
	raw_spin_lock_init(&host->lock);
	host->sysdata.domain = domain;
	host->sysdata.node = NUMA_NO_NODE;
	host->busn = (struct resource)
		DEFINE_RES_NAMED(SIOV_PCI_ROOT_BUS, 1, "siov_pci bus",
				 IORESOURCE_BUS);

	for (kind = 0; kind < SIOV_PCI_NR_KINDS; kind++) {
		unsigned int i;

		for (i = 0; i < count[kind]; i++) {
			struct siov_pci_ep *ep;

			ep = siov_pci_ep_create(kind, i, pasid_width, link);
			if (!ep) {
				siov_pci_host_free(host);
				return ERR_PTR(-ENOMEM);
			}
			host->eps[host->nr_eps++] = ep;
		}
	}
	return host;
}

static bool siov_pci_domain_in_use(int nr)
{
	struct pci_bus *bus = NULL;

	while ((bus = pci_find_next_bus(bus)))
		if (pci_domain_nr(bus) == nr)
			return true;
	return false;
}

static int siov_pci_host_register(struct siov_pci_host *host)
{
	struct pci_host_bridge *bridge;
	int ret;

	host->parent = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(host->parent))
		return PTR_ERR(host->parent);

	/* We hold the bridge's first reference until siov_pci_exit(). */
	bridge = pci_alloc_host_bridge(0);
	if (!bridge) {
		ret = -ENOMEM;
		goto fail_root;
	}
	bridge->dev.parent = host->parent;
	bridge->sysdata = &host->sysdata;
	bridge->ops = &siov_pci_ops;
	bridge->busnr = SIOV_PCI_ROOT_BUS;
	pci_add_resource(&bridge->windows, &host->busn);

	pci_lock_rescan_remove();
	if (siov_pci_domain_in_use(host->sysdata.domain)) {
		pr_err("domain=%#x: PCI domain %04x is already in use; load with another domain=\n",
		       host->sysdata.domain, host->sysdata.domain);
		ret = -EBUSY;
		goto fail_bridge;
	}
	ret = pci_scan_root_bus_bridge(bridge);
	if (ret) {
		pr_err("cannot register root bus %04x:%02x: %d\n",
		       host->sysdata.domain, SIOV_PCI_ROOT_BUS, ret);
		goto fail_bridge;
	}
	pci_bus_add_devices(bridge->bus);
	pci_unlock_rescan_remove();
	host->bridge = bridge;
	return 0;

fail_bridge:
	pci_unlock_rescan_remove();
	pci_free_host_bridge(bridge);
fail_root:
	root_device_unregister(host->parent);
	return ret;
}

static void siov_pci_host_unregister(struct siov_pci_host *host)
{
	pci_lock_rescan_remove();
	pci_stop_root_bus(host->bridge->bus);
	pci_remove_root_bus(host->bridge->bus);
	pci_unlock_rescan_remove();
	/* pci_remove_root_bus() deletes the bridge device but leaves our ref. */
	pci_free_host_bridge(host->bridge);
	root_device_unregister(host->parent);
}

static int __init siov_pci_init(void)
{
	struct siov_pci_host *host;
	int ret;

	host = siov_pci_host_alloc();
	if (IS_ERR(host))
		return PTR_ERR(host);

	ret = siov_pci_host_register(host);
	if (ret) {
		siov_pci_host_free(host);
		return ret;
	}
	siov_pci_host = host;
	pr_info("domain %04x: %u endpoints (%s), %s, Max PASID Width %u\n",
		domain, host->nr_eps, devices,
		sysfs_streq(pcie_type, "endpoint") ? "PCIe Endpoints" : "RCiEPs",
		pasid_width);
	return 0;
}
module_init(siov_pci_init);

static void __exit siov_pci_exit(void)
{
	siov_pci_host_unregister(siov_pci_host);
	siov_pci_host_free(siov_pci_host);
}
module_exit(siov_pci_exit);

MODULE_DESCRIPTION("Simulated Scalable-IOV PCI endpoints on a software host bridge");
MODULE_LICENSE("GPL");
