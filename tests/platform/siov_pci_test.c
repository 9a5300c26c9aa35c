// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated Scalable-IOV endpoints of drivers/siov-pci, as user space
 * and lspci see them: enumeration in sysfs, the config space (PCI Express,
 * PASID and SIOV DVSEC capabilities, RW/RO behaviour), lspci -vvv, IOMMU
 * groups once siov_iommu is loaded, and the module's refusal of bad
 * parameters.  Run as root.
 *
 * The "siov" tests check whatever siov_pci is loaded with (its parameters
 * are read back from /sys/module/siov_pci/parameters); if it is not loaded,
 * each test loads it with default parameters and unloads it again.  The
 * "reload" tests take the lab's module stack down (siov_iommu, siov_pci and
 * the samples on them, lab_stack.c), load siov_pci with bad and with varied
 * parameters, and put the stack back as they found it; they skip only when
 * the stack cannot come down (a module outside it uses it, or an mdev of a
 * sample exists).
 * Loading needs siov_pci.ko: $SIOV_PCI_KO, else drivers/siov-pci/siov_pci.ko
 * under the current directory, the lab tree of this binary or $LAB_DIR.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "lab_stack.h"
#include "../../include/siov/pci_ids.h"

#define MODNAME		"siov_pci"
#define MODDIR		"/sys/module/" MODNAME
#define PCI_DEVICES	"/sys/bus/pci/devices"
#define SIOV_IOMMU_DEBUGFS "/sys/kernel/debug/siov_iommu"

#define CFG_SIZE	4096
#define MAX_EPS		32
#define PASID_WIDTH_MAX	20
#define DEFAULT_DOMAIN	0x5105

/* The SIOV DVSEC as drivers/siov-pci lays it out. */
#define DVSEC_ID_REG	0x08
#define DVSEC_SYS_PGSZ	0x10
#define DVSEC_LEN	0x18

enum kind { DMA, CRYPTO, NET, NOPASID, NR_KINDS };

static const struct {
	const char *name;
	int device;
	int class;
	bool has_pasid;
} kinds[NR_KINDS] = {
	[DMA] = { "dma", SIOV_PCI_DEVICE_DMA, SIOV_PCI_CLASS_DMA, true },
	[CRYPTO] = { "crypto", SIOV_PCI_DEVICE_CRYPTO, SIOV_PCI_CLASS_CRYPTO,
		     true },
	[NET] = { "net", SIOV_PCI_DEVICE_NET, SIOV_PCI_CLASS_NET, true },
	[NOPASID] = { "nopasid", SIOV_PCI_DEVICE_NOPASID, SIOV_PCI_CLASS_DMA,
		      false },
};

/* What siov_pci was loaded with, and the endpoints that implies. */
struct siov_state {
	char devices[256];
	char pcie_type[32];
	int domain;
	int pasid_width;
	bool link;
	int nr_eps;
	enum kind ep_kind[MAX_EPS];	/* by slot */
};

static int read_int(const char *path, int *val)
{
	char buf[64], *end;
	int ret;

	ret = lab_read_line(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoul(buf, &end, 0);
	return errno || end == buf ? -EINVAL : 0;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Same grammar and slot order as the module: kind order, not spec order. */
static int expected_endpoints(struct siov_state *st)
{
	int count[NR_KINDS] = { 0 }, k, i;
	char buf[256], *cursor = buf, *item;

	snprintf(buf, sizeof(buf), "%s", st->devices);
	while ((item = strsep(&cursor, ","))) {
		char *colon = strchr(item, ':');
		int n = 1;

		if (colon) {
			*colon = '\0';
			n = atoi(colon + 1);
		}
		for (k = 0; k < NR_KINDS; k++)
			if (!strcmp(item, kinds[k].name))
				break;
		if (k == NR_KINDS)
			return -EINVAL;
		count[k] = n;
	}
	st->nr_eps = 0;
	for (k = 0; k < NR_KINDS; k++)
		for (i = 0; i < count[k]; i++) {
			if (st->nr_eps == MAX_EPS)
				return -EINVAL;
			st->ep_kind[st->nr_eps++] = k;
		}
	return 0;
}

static int read_state(struct siov_state *st)
{
	int ret;

	ret = lab_read_line(MODDIR "/parameters/devices", st->devices,
			    sizeof(st->devices));
	ret = ret ?: lab_read_line(MODDIR "/parameters/pcie_type",
				   st->pcie_type, sizeof(st->pcie_type));
	ret = ret ?: read_int(MODDIR "/parameters/domain", &st->domain);
	ret = ret ?: read_int(MODDIR "/parameters/pasid_width",
			       &st->pasid_width);
	if (ret)
		return ret;
	st->link = !strcmp(st->pcie_type, "endpoint");
	return expected_endpoints(st);
}

static void ep_path(char *buf, size_t size, const struct siov_state *st,
		    int slot, const char *file)
{
	snprintf(buf, size, PCI_DEVICES "/%04x:00:%02x.0%s%s", st->domain,
		 slot, file ? "/" : "", file ?: "");
}

/* The module file: $SIOV_PCI_KO, or where lab_path() finds it. */
static const char *find_ko(void)
{
	const char *env = getenv("SIOV_PCI_KO");

	if (env)
		return path_exists(env) ? env : NULL;
	return lab_path("drivers/siov-pci/siov_pci.ko");
}

/* finit_module(2); returns 0 or -errno. */
static int load_module(const char *params)
{
	const char *ko = find_ko();

	return ko ? lab_load(ko, params) : -ENOENT;
}

static int unload_module(void)
{
	return lab_unload(MODNAME);
}

static int cfg_get(const unsigned char *cfg, int pos, int size)
{
	unsigned int val = 0;
	int i;

	for (i = 0; i < size; i++)
		val |= (unsigned int)cfg[pos + i] << (8 * i);
	return val;
}

static int find_cap(const unsigned char *cfg, int id)
{
	int pos = cfg[PCI_CAPABILITY_LIST] & ~3, ttl = 48;

	while (pos >= PCI_STD_HEADER_SIZEOF && ttl--) {
		if (cfg[pos + PCI_CAP_LIST_ID] == id)
			return pos;
		pos = cfg[pos + PCI_CAP_LIST_NEXT] & ~3;
	}
	return 0;
}

/* Count and find extended capabilities; a loop or a bad pointer is -1. */
static int find_ext_cap(const unsigned char *cfg, int id, int nth)
{
	int pos = PCI_CFG_SPACE_SIZE, ttl = (CFG_SIZE - 0x100) / 8;

	while (ttl--) {
		unsigned int hdr = cfg_get(cfg, pos, 4);

		if (!hdr)
			return 0;
		if ((int)PCI_EXT_CAP_ID(hdr) == id && !nth--)
			return pos;
		pos = PCI_EXT_CAP_NEXT(hdr);
		if (!pos)
			return 0;
		if (pos < PCI_CFG_SPACE_SIZE)
			return -1;
	}
	return -1;
}

static int find_siov_dvsec(const unsigned char *cfg)
{
	int nth, pos;

	for (nth = 0; (pos = find_ext_cap(cfg, PCI_EXT_CAP_ID_DVSEC, nth)) > 0;
	     nth++)
		if (cfg_get(cfg, pos + PCI_DVSEC_HEADER1, 2) ==
		    SIOV_DVSEC_VENDOR_ID &&
		    cfg_get(cfg, pos + DVSEC_ID_REG, 2) == SIOV_DVSEC_ID)
			return pos;
	return pos;
}

static int read_config(const struct siov_state *st, int slot,
		       unsigned char cfg[CFG_SIZE])
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	ep_path(path, sizeof(path), st, slot, "config");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = pread(fd, cfg, CFG_SIZE, 0);
	close(fd);
	return n == CFG_SIZE ? 0 : -EIO;
}

/* Write a config register through sysfs and read it back. */
static int config_rw(const struct siov_state *st, int slot, int pos, int size,
		     unsigned int val, int *back)
{
	char path[PATH_MAX];
	unsigned int got = 0;
	int fd, ret = 0;

	ep_path(path, sizeof(path), st, slot, "config");
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, &val, size, pos) != size ||
	    pread(fd, &got, size, pos) != size)
		ret = -EIO;
	close(fd);
	*back = got;
	return ret;
}

/* The endpoints of @st, and nothing else, are in its PCI domain. */
static void check_enumeration(struct __test_metadata *_metadata,
			      const struct siov_state *st)
{
	char path[PATH_MAX], prefix[16];
	int val;
	struct dirent *de;
	int slot, seen = 0;
	DIR *dir;

	ASSERT_GT(st->nr_eps, 0);
	for (slot = 0; slot < st->nr_eps; slot++) {
		enum kind k = st->ep_kind[slot];

		ep_path(path, sizeof(path), st, slot, "vendor");
		ASSERT_EQ(0, read_int(path, &val))
			TH_LOG("%04x:00:%02x.0 (%s) is not in sysfs",
			       st->domain, slot, kinds[k].name);
		EXPECT_EQ(SIOV_PCI_VENDOR_ID, val);
		ep_path(path, sizeof(path), st, slot, "device");
		ASSERT_EQ(0, read_int(path, &val));
		EXPECT_EQ(kinds[k].device, val);
		ep_path(path, sizeof(path), st, slot, "class");
		ASSERT_EQ(0, read_int(path, &val));
		EXPECT_EQ(kinds[k].class, val);
		ep_path(path, sizeof(path), st, slot, "subsystem_vendor");
		ASSERT_EQ(0, read_int(path, &val));
		EXPECT_EQ(SIOV_PCI_VENDOR_ID, val);
		ep_path(path, sizeof(path), st, slot, "subsystem_device");
		ASSERT_EQ(0, read_int(path, &val));
		EXPECT_EQ(kinds[k].device, val);
	}

	snprintf(prefix, sizeof(prefix), "%04x:", st->domain);
	dir = opendir(PCI_DEVICES);
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			seen++;
	closedir(dir);
	EXPECT_EQ(st->nr_eps, seen);
}

/* Header, PCI Express, PM, PASID and SIOV DVSEC of every endpoint. */
static void check_config(struct __test_metadata *_metadata,
			 const struct siov_state *st)
{
	unsigned char cfg[CFG_SIZE];
	int slot, bar;

	for (slot = 0; slot < st->nr_eps; slot++) {
		enum kind k = st->ep_kind[slot];
		int exp, pasid, dvsec, v;

		TH_LOG("%04x:00:%02x.0: %s", st->domain, slot, kinds[k].name);
		ASSERT_EQ(0, read_config(st, slot, cfg));
		EXPECT_EQ(SIOV_PCI_VENDOR_ID, cfg_get(cfg, PCI_VENDOR_ID, 2));
		EXPECT_EQ(kinds[k].device, cfg_get(cfg, PCI_DEVICE_ID, 2));
		EXPECT_EQ(kinds[k].class,
			  cfg_get(cfg, PCI_CLASS_REVISION, 4) >> 8);
		EXPECT_EQ(PCI_HEADER_TYPE_NORMAL, cfg[PCI_HEADER_TYPE]);
		EXPECT_TRUE(cfg_get(cfg, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
		EXPECT_EQ(0, cfg[PCI_INTERRUPT_PIN]);
		for (bar = 0; bar < 6; bar++)
			EXPECT_EQ(0, cfg_get(cfg, PCI_BASE_ADDRESS_0 + 4 * bar,
					     4));

		exp = find_cap(cfg, PCI_CAP_ID_EXP);
		ASSERT_NE(0, exp);
		v = cfg_get(cfg, exp + PCI_EXP_FLAGS, 2);
		EXPECT_EQ(2, v & PCI_EXP_FLAGS_VERS);
		if (st->link) {
			int lnkcap, lnksta;

			EXPECT_EQ(PCI_EXP_TYPE_ENDPOINT,
				  (v & PCI_EXP_FLAGS_TYPE) >> 4);
			/* Link up: trained to the speed and width it has. */
			lnkcap = cfg_get(cfg, exp + PCI_EXP_LNKCAP, 4);
			lnksta = cfg_get(cfg, exp + PCI_EXP_LNKSTA, 2);
			EXPECT_NE(0, lnksta & PCI_EXP_LNKSTA_CLS);
			EXPECT_NE(0, lnksta & PCI_EXP_LNKSTA_NLW);
			EXPECT_EQ(lnkcap & PCI_EXP_LNKCAP_SLS,
				  lnksta & PCI_EXP_LNKSTA_CLS);
			EXPECT_EQ((lnkcap & PCI_EXP_LNKCAP_MLW),
				  lnksta & PCI_EXP_LNKSTA_NLW);
		} else {
			EXPECT_EQ(PCI_EXP_TYPE_RC_END,
				  (v & PCI_EXP_FLAGS_TYPE) >> 4);
		}
		/* PASID-tagged requests need End-End TLP Prefixes. */
		if (kinds[k].has_pasid)
			EXPECT_TRUE(cfg_get(cfg, exp + PCI_EXP_DEVCAP2, 4) &
				    PCI_EXP_DEVCAP2_EE_PREFIX);
		EXPECT_NE(0, find_cap(cfg, PCI_CAP_ID_PM));

		pasid = find_ext_cap(cfg, PCI_EXT_CAP_ID_PASID, 0);
		dvsec = find_siov_dvsec(cfg);
		ASSERT_LE(0, pasid) TH_LOG("bad extended capability list");
		ASSERT_LE(0, dvsec) TH_LOG("bad extended capability list");
		if (!kinds[k].has_pasid) {
			EXPECT_EQ(0, pasid);
			EXPECT_EQ(0, dvsec);
			continue;
		}
		ASSERT_NE(0, pasid);
		v = cfg_get(cfg, pasid + PCI_PASID_CAP, 2);
		EXPECT_EQ(st->pasid_width, (v >> 8) & 0x1f);
		ASSERT_NE(0, dvsec);
		v = cfg_get(cfg, dvsec + PCI_DVSEC_HEADER1, 4);
		EXPECT_EQ(DVSEC_LEN, PCI_DVSEC_HEADER1_LEN(v));
		EXPECT_EQ(0, PCI_DVSEC_HEADER1_REV(v));
		/* Supported page sizes include 4 KiB; one system size set. */
		EXPECT_TRUE(cfg_get(cfg, dvsec + 0x0c, 4) & 1);
		v = cfg_get(cfg, dvsec + DVSEC_SYS_PGSZ, 4);
		EXPECT_TRUE(v && !(v & (v - 1)));
	}
}

FIXTURE(siov) {
	struct siov_state st;
	bool loaded_here;
};

FIXTURE_SETUP(siov)
{
	int ret;

	if (!lab_module_loaded(MODNAME)) {
		ret = load_module("");
		ASSERT_EQ(0, ret)
			TH_LOG("siov_pci is not loaded, loading it failed: %s",
			       strerror(-ret));
		self->loaded_here = true;
	}
	ASSERT_EQ(0, read_state(&self->st))
		TH_LOG("cannot read siov_pci's parameters");
}

FIXTURE_TEARDOWN(siov)
{
	if (self->loaded_here)
		EXPECT_EQ(0, unload_module());
}

TEST_F(siov, endpoints_enumerate)
{
	check_enumeration(_metadata, &self->st);
}

TEST_F(siov, config_space_capabilities)
{
	check_config(_metadata, &self->st);
}

/* RO registers ignore writes, RW ones take them; all restored after. */
TEST_F(siov, config_space_writes)
{
	const struct siov_state *st = &self->st;
	unsigned char cfg[CFG_SIZE];
	int slot, tested = 0;
	char path[PATH_MAX];
	int back;

	for (slot = 0; slot < st->nr_eps; slot++) {
		int cmd;
		int pasid, dvsec, pm;

		ep_path(path, sizeof(path), st, slot, "driver");
		if (path_exists(path))
			continue;	/* don't poke a device in use */
		tested++;
		ASSERT_EQ(0, read_config(st, slot, cfg));

		ASSERT_EQ(0, config_rw(st, slot, PCI_VENDOR_ID, 2, 0x1234,
				       &back));
		EXPECT_EQ(SIOV_PCI_VENDOR_ID, back);

		/* No BARs: sizing reads back 0, "not implemented". */
		ASSERT_EQ(0, config_rw(st, slot, PCI_BASE_ADDRESS_0, 4,
				       0xffffffff, &back));
		EXPECT_EQ(0, back);

		/* Bus Master is RW; Memory and I/O Space are hardwired 0. */
		cmd = cfg_get(cfg, PCI_COMMAND, 2);
		ASSERT_EQ(0, config_rw(st, slot, PCI_COMMAND, 2,
				       cmd | PCI_COMMAND_MASTER |
				       PCI_COMMAND_MEMORY | PCI_COMMAND_IO,
				       &back));
		EXPECT_EQ(cmd | PCI_COMMAND_MASTER, back);
		ASSERT_EQ(0, config_rw(st, slot, PCI_COMMAND, 2, cmd, &back));
		EXPECT_EQ(cmd, back);

		/* Power state: D1/D2 are not supported, so stay in D0. */
		pm = find_cap(cfg, PCI_CAP_ID_PM);
		ASSERT_NE(0, pm);
		ASSERT_EQ(0, config_rw(st, slot, pm + PCI_PM_CTRL, 2, 2,
				       &back));
		EXPECT_EQ(0, back & PCI_PM_CTRL_STATE_MASK);

		if (!kinds[st->ep_kind[slot]].has_pasid)
			continue;

		/* PASID Enable is RW; the PASID Capability register is RO. */
		pasid = find_ext_cap(cfg, PCI_EXT_CAP_ID_PASID, 0);
		ASSERT_LT(0, pasid);
		ASSERT_EQ(0, config_rw(st, slot, pasid + PCI_PASID_CTRL, 2,
				       PCI_PASID_CTRL_ENABLE, &back));
		EXPECT_EQ(PCI_PASID_CTRL_ENABLE, back);
		ASSERT_EQ(0, config_rw(st, slot, pasid + PCI_PASID_CTRL, 2,
				       0, &back));
		EXPECT_EQ(0, back);
		ASSERT_EQ(0, config_rw(st, slot, pasid + PCI_PASID_CAP, 2,
				       0, &back));
		EXPECT_EQ(cfg_get(cfg, pasid + PCI_PASID_CAP, 2), back);

		/* System Page Size takes a supported size (8 KiB). */
		dvsec = find_siov_dvsec(cfg);
		ASSERT_LT(0, dvsec);
		ASSERT_EQ(0, config_rw(st, slot, dvsec + DVSEC_SYS_PGSZ, 4, 2,
				       &back));
		EXPECT_EQ(2, back);
		ASSERT_EQ(0, config_rw(st, slot, dvsec + DVSEC_SYS_PGSZ, 4,
				       cfg_get(cfg, dvsec + DVSEC_SYS_PGSZ, 4),
				       &back));
	}
	if (!tested)
		SKIP(return, "every endpoint has a driver bound");
}

TEST_F(siov, lspci_shows_capabilities)
{
	const struct siov_state *st = &self->st;
	int slot;

	if (system("lspci --version >/dev/null 2>&1"))
		SKIP(return, "lspci is not installed");
	for (slot = 0; slot < st->nr_eps; slot++) {
		enum kind k = st->ep_kind[slot];
		char cmd[128], out[16384], width[32];
		size_t n;
		FILE *p;

		snprintf(cmd, sizeof(cmd), "lspci -vvv -s %04x:00:%02x.0 2>/dev/null",
			 st->domain, slot);
		p = popen(cmd, "r");
		ASSERT_NE(NULL, p);
		n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
		EXPECT_EQ(0, pclose(p));
		ASSERT_NE(NULL, strstr(out, "Express (v2)")) TH_LOG("%s", out);
		snprintf(width, sizeof(width), "Max PASID Width: %02x",
			 st->pasid_width);
		if (kinds[k].has_pasid) {
			EXPECT_NE(NULL, strstr(out, "Process Address Space ID"));
			EXPECT_NE(NULL, strstr(out, width));
			EXPECT_NE(NULL, strstr(out,
					       "Designated Vendor-Specific: Vendor=8086 ID=0005"))
				TH_LOG("%s", out);
		} else {
			EXPECT_EQ(NULL, strstr(out, "Process Address Space ID"));
			EXPECT_EQ(NULL, strstr(out, "Designated Vendor-Specific"));
		}
	}
}

TEST_F(siov, iommu_groups)
{
	const struct siov_state *st = &self->st;
	char path[PATH_MAX];
	int slot;

	if (!path_exists(SIOV_IOMMU_DEBUGFS))
		SKIP(return, "siov_iommu is not loaded");
	for (slot = 0; slot < st->nr_eps; slot++) {
		ep_path(path, sizeof(path), st, slot, "iommu_group");
		EXPECT_TRUE(path_exists(path))
			TH_LOG("%04x:00:%02x.0 has no iommu_group",
			       st->domain, slot);
	}
}

FIXTURE(reload) {
	struct lab_stack stack;
	const char *busy;
};

FIXTURE_SETUP(reload)
{
	self->busy = lab_stack_down(&self->stack);
}

FIXTURE_TEARDOWN(reload)
{
	if (self->busy)
		return;
	if (lab_module_loaded(MODNAME))
		EXPECT_EQ(0, unload_module());
	EXPECT_EQ(0, lab_stack_restore(&self->stack))
		TH_LOG("could not restore the lab's modules");
}

/* Nothing of siov_pci is left after a refused load. */
static void check_gone(struct __test_metadata *_metadata, int domain)
{
	char path[PATH_MAX];

	EXPECT_FALSE(lab_module_loaded(MODNAME));
	EXPECT_FALSE(path_exists("/sys/devices/siov_pci"));
	snprintf(path, sizeof(path), "/sys/class/pci_bus/%04x:00", domain);
	EXPECT_FALSE(path_exists(path));
}

TEST_F_TIMEOUT(reload, bad_parameters_refused, 600)
{
	static const char * const bad[] = {
		"devices=bogus:1",
		"devices=",
		"devices=dma:1,dma:1",
		"devices=dma:33",
		"devices=dma:16,net:17",
		"devices=dma:0",
		"devices=dma:x",
		"devices=dma:-1",
		"devices=dma:1,,net:1",
		"pasid_width=21",
		"domain=0x10000",
		"pcie_type=bridge",
	};
	unsigned int i;
	int ret;

	if (self->busy)
		SKIP(return, "%s", self->busy);
	if (!find_ko())
		SKIP(return, "siov_pci.ko not found (set SIOV_PCI_KO)");

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = load_module(bad[i]);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("%s: %s", bad[i], strerror(-ret));
		if (!ret)
			unload_module();
		check_gone(_metadata, DEFAULT_DOMAIN);
	}

	/* A domain already taken (0000, the machine's own) is -EBUSY. */
	if (path_exists("/sys/class/pci_bus/0000:00")) {
		ret = load_module("domain=0");
		EXPECT_EQ(-EBUSY, ret) TH_LOG("domain=0: %s", strerror(-ret));
		if (!ret)
			unload_module();
		check_gone(_metadata, DEFAULT_DOMAIN);
	}
}

TEST_F_TIMEOUT(reload, parameter_variants, 600)
{
	static const char * const variants[] = {
		"",
		"devices=dma:2,crypto:1,net:1,nopasid:1",
		"devices=net:1,dma:1 pasid_width=8 pcie_type=endpoint domain=0x5106",
		"devices=crypto:32 pasid_width=0",
		"devices=nopasid pcie_type=endpoint",
	};
	unsigned int i;

	if (self->busy)
		SKIP(return, "%s", self->busy);
	if (!find_ko())
		SKIP(return, "siov_pci.ko not found (set SIOV_PCI_KO)");

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		struct siov_state st;

		TH_LOG("variant \"%s\"", variants[i]);
		ASSERT_EQ(0, load_module(variants[i]));
		ASSERT_EQ(0, read_state(&st));
		check_enumeration(_metadata, &st);
		check_config(_metadata, &st);
		ASSERT_EQ(0, unload_module());
		check_gone(_metadata, st.domain);
	}
}

TEST_HARNESS_MAIN
