// SPDX-License-Identifier: GPL-2.0
/*
 * mnet (samples/vfio-mdev/mnet/) through VFIO, driven as Linux's
 * virtio_net drives it, with no guest: what the guest transmits comes out
 * of the mdev's representor (read with a packet socket), what the host
 * sends into the representor lands in the posted receive buffers with the
 * right virtio-net header, mergeable buffers, the control queue, multiple
 * queue pairs, the representor's names, carrier and counters, the MAC
 * attribute, reset with traffic in flight, isolation of two mdevs at the
 * same IOVA, and the defined answer to each kind of bad input.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pci_regs.h>
#include <linux/sockios.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_pci.h>

#include "kselftest_harness.h"
#include "virtio_dev.h"

#define MN_TYPE		"mnet-1q"
#define MN_TYPE4	"mnet-4q"
#define MN_NUM		64
#define MN_HDR		12	/* struct virtio_net_hdr_v1 */
#define MN_ETHERTYPE	0x88b5	/* local experimental */
#define BIT_ULL(n)	(1ull << (n))
#define MN_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | \
			 BIT_ULL(VIRTIO_NET_F_MAC) | BIT_ULL(VIRTIO_NET_F_MTU) |	\
			 BIT_ULL(VIRTIO_NET_F_STATUS) | BIT_ULL(VIRTIO_NET_F_CSUM) |	\
			 BIT_ULL(VIRTIO_NET_F_HOST_TSO4) | BIT_ULL(VIRTIO_NET_F_HOST_TSO6) | \
			 BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |				\
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |				\
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) |				\
			 BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) | BIT_ULL(VIRTIO_NET_F_CTRL_VQ) | \
			 BIT_ULL(VIRTIO_NET_F_CTRL_RX) |				\
			 BIT_ULL(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |			\
			 BIT_ULL(VIRTIO_NET_F_MQ))
#define MN_WAIT_MS	10000

struct mn {
	struct vdev d;
	unsigned int pairs;
	char ifname[IF_NAMESIZE];
	int ifindex;
	int pkt;		/* a packet socket on the representor */
	__u8 mac[6];		/* the device's (the guest's) */
	__u8 rep_mac[6];
};

static unsigned int rxq(unsigned int pair) { return 2 * pair; }
static unsigned int txq(unsigned int pair) { return 2 * pair + 1; }
static unsigned int ctrlq(struct mn *m) { return 2 * m->pairs; }

static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, req, ifr) ? -errno : 0;
	close(fd);
	return ret;
}

static int rep_set_up(const char *ifname, bool up)
{
	struct ifreq ifr = { 0 };
	int ret;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ret = if_ioctl(SIOCGIFFLAGS, &ifr);
	if (ret)
		return ret;
	ifr.ifr_flags = up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP;
	return if_ioctl(SIOCSIFFLAGS, &ifr);
}

static long rep_sysfs(const char *ifname, const char *file)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, file);
	if (sysfs_read_str(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 0);
}

/* One `ethtool -S` counter of the representor, or -1. */
static long long rep_stat(const char *ifname, const char *name)
{
	struct ethtool_sset_info *sset = calloc(1, sizeof(*sset) + sizeof(__u32));
	struct ethtool_gstrings *str = NULL;
	struct ethtool_stats *st = NULL;
	struct ifreq ifr = { 0 };
	long long val = -1;
	__u32 n;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sset->cmd = ETHTOOL_GSSET_INFO;
	sset->sset_mask = 1ull << ETH_SS_STATS;
	ifr.ifr_data = (void *)sset;
	if (if_ioctl(SIOCETHTOOL, &ifr))
		goto out;
	n = sset->data[0];
	str = calloc(1, sizeof(*str) + n * ETH_GSTRING_LEN);
	st = calloc(1, sizeof(*st) + n * sizeof(__u64));
	str->cmd = ETHTOOL_GSTRINGS;
	str->string_set = ETH_SS_STATS;
	str->len = n;
	ifr.ifr_data = (void *)str;
	if (if_ioctl(SIOCETHTOOL, &ifr))
		goto out;
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	ifr.ifr_data = (void *)st;
	if (if_ioctl(SIOCETHTOOL, &ifr))
		goto out;
	for (__u32 i = 0; i < n; i++)
		if (!strncmp((char *)str->data + i * ETH_GSTRING_LEN, name, ETH_GSTRING_LEN))
			val = st->data[i];
out:
	free(sset);
	free(str);
	free(st);
	return val;
}

/* Wait until a counter reaches @want: 0, or -ETIMEDOUT. */
static int rep_stat_wait(const char *ifname, const char *name, long long want)
{
	for (int ms = 0; ms < MN_WAIT_MS; ms += 10) {
		if (rep_stat(ifname, name) >= want)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static int mac_parse(const char *s, __u8 mac[6])
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

/* The representor of the open mdev: its name, index, MAC; IPv6 off, so it stays quiet. */
static int rep_find(struct mn *m)
{
	char path[256], buf[64];
	struct ifreq ifr = { 0 };
	int ret;

	ret = mdev_attr_read(m->d.uuid, "netdev", m->ifname, sizeof(m->ifname));
	if (ret)
		return ret;
	m->ifname[strcspn(m->ifname, "\n")] = '\0';
	m->ifindex = if_nametoindex(m->ifname);
	if (!m->ifindex)
		return -ENODEV;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", m->ifname);
	sysfs_write_str(path, "1");
	ret = mdev_attr_read(m->d.uuid, "mac", buf, sizeof(buf));
	if (!ret)
		ret = mac_parse(buf, m->mac);
	if (ret)
		return ret;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", m->ifname);
	ret = if_ioctl(SIOCGIFHWADDR, &ifr);
	if (!ret)
		memcpy(m->rep_mac, ifr.ifr_hwaddr.sa_data, 6);
	return ret;
}

/* A packet socket on the representor for @proto, with virtio-net headers if @vnet_hdr. */
static int pkt_open(struct mn *m, __u16 proto, bool vnet_hdr)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = m->ifindex,
	};
	int one = 1;

	if (m->pkt >= 0)
		close(m->pkt);
	m->pkt = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(proto));
	if (m->pkt < 0)
		return -errno;
	if (vnet_hdr && setsockopt(m->pkt, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)))
		return -errno;
	return bind(m->pkt, (struct sockaddr *)&sll, sizeof(sll)) ? -errno : 0;
}

/*
 * The representor's carrier comes on at DRIVER_OK, but its qdisc starts
 * only when the link watch has run (up to a second later): until then the
 * stack drops what is sent.  Wait for that, when the representor is up.
 */
static int rep_wait_running(struct mn *m)
{
	char path[256], buf[32];

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", m->ifname);
	for (int ms = 0; ms < MN_WAIT_MS; ms += 10) {
		if (!sysfs_read_str(path, buf, sizeof(buf)) && !strncmp(buf, "up", 2))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Features, every queue, DRIVER_OK, as virtio_net's probe leaves them. */
static int mn_setup(struct mn *m, __u64 features)
{
	int ret = 0;

	if (!(vd_negotiate(&m->d, features) & VIRTIO_CONFIG_S_FEATURES_OK))
		return -EPROTO;
	vd_free_all(&m->d);
	for (unsigned int p = 0; p < m->pairs && !ret; p++) {
		ret = vd_queue_setup(&m->d, rxq(p), MN_NUM, 1 + rxq(p));
		if (!ret)
			ret = vd_queue_setup(&m->d, txq(p), MN_NUM, 1 + txq(p));
	}
	/* The control queue shares the config vector: the driver polls it. */
	if (!ret && features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ))
		ret = vd_queue_setup(&m->d, ctrlq(m), MN_NUM, 0);
	vd_driver_ok(&m->d);
	return ret ? ret : rep_wait_running(m);
}

static int mn_open(struct mn *m, const char *type, unsigned int pairs)
{
	int ret;

	m->pairs = pairs;
	m->pkt = -1;
	ret = vd_open(&m->d, type, 1 + 2 * pairs);
	if (!ret)
		ret = rep_find(m);
	if (!ret)
		ret = rep_set_up(m->ifname, true);
	if (!ret)
		ret = pkt_open(m, MN_ETHERTYPE, false);
	return ret;
}

static int mn_up(struct mn *m, const char *type, unsigned int pairs, __u64 features)
{
	int ret = mn_open(m, type, pairs);

	return ret ? ret : mn_setup(m, features);
}

static void mn_down(struct mn *m)
{
	if (m->pkt >= 0)
		close(m->pkt);
	m->pkt = -1;
	vd_close(&m->d);
}

/* An Ethernet frame of @len bytes to @dst from @src, payload byte i = seed + i. */
static void frame_fill(__u8 *f, size_t len, const __u8 *dst, const __u8 *src, __u8 seed)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = MN_ETHERTYPE >> 8;
	f[13] = MN_ETHERTYPE & 0xff;
	for (size_t i = 14; i < len; i++)
		f[i] = seed + i;
}

/*
 * The guest transmits: @hdr and @len bytes of frame in one buffer on
 * @pair's transmit queue; 0 once the device has completed it.
 */
static int mn_tx(struct mn *m, unsigned int pair, const struct virtio_net_hdr_v1 *hdr,
		 const __u8 *frame, size_t len)
{
	struct vd_buf b;
	__u8 *p = vd_alloc(&m->d, MN_HDR + len, &b.iova);
	__u32 used;

	if (!p)
		return -ENOMEM;
	memcpy(p, hdr, MN_HDR);
	memcpy(p + MN_HDR, frame, len);
	b.len = MN_HDR + len;
	b.write = false;
	return vd_request(&m->d, txq(pair), &b, 1, &used);
}

/* What came out of the representor: the frame's length, or -errno. */
static ssize_t pkt_recv(struct mn *m, void *buf, size_t size)
{
	struct pollfd p = { .fd = m->pkt, .events = POLLIN };

	if (poll(&p, 1, MN_WAIT_MS) <= 0)
		return -ETIMEDOUT;
	return recv(m->pkt, buf, size, 0);
}

/* The host sends @len bytes into the representor. */
static int pkt_send(struct mn *m, const void *frame, size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = m->ifindex,
		.sll_halen = 6,
	};

	memcpy(sll.sll_addr, frame, 6);
	return sendto(m->pkt, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) == (ssize_t)len ?
	       0 : -errno;
}

/* Post @n receive buffers of @size bytes each on @pair; their first IOVA. */
static __u8 *mn_post_rx(struct mn *m, unsigned int pair, unsigned int n, __u32 size)
{
	__u8 *first = NULL;

	for (unsigned int i = 0; i < n; i++) {
		struct vd_buf b = { .len = size, .write = true };
		__u8 *p = vd_alloc(&m->d, size, &b.iova);
		int head;

		memset(p, 0xee, size);
		if (!first)
			first = p;
		head = vd_add(&m->d, rxq(pair), &b, 1);
		if (head < 0 || vd_kick(&m->d, rxq(pair), head))
			return NULL;
	}
	return first;
}

/* The next used receive buffer: its address in our memory and length. */
static __u8 *mn_rx_used(struct mn *m, unsigned int pair, __u32 *len)
{
	__u32 id;

	if (vd_wait_used(&m->d, rxq(pair), &id, len))
		return NULL;
	return m->d.mem + (vd_desc(&m->d, rxq(pair), id)->addr - VD_IOVA);
}

/* A control command with @len bytes of data: the ack, or -errno. */
static int mn_ctrl(struct mn *m, __u8 class, __u8 cmd, const void *data, size_t len)
{
	struct vd_buf b[3];
	__u8 *hdr, *ack;
	unsigned int n = 0;
	__u32 used;
	int ret;

	hdr = vd_alloc(&m->d, 2, &b[n].iova);
	hdr[0] = class;
	hdr[1] = cmd;
	b[n].len = 2;
	b[n++].write = false;
	if (len) {
		memcpy(vd_alloc(&m->d, len, &b[n].iova), data, len);
		b[n].len = len;
		b[n++].write = false;
	}
	ack = vd_alloc(&m->d, 1, &b[n].iova);
	*ack = 0xff;
	b[n].len = 1;
	b[n++].write = true;
	ret = vd_request(&m->d, ctrlq(m), b, n, &used);
	if (ret)
		return ret;
	return used == 1 ? *ack : -EPROTO;
}

static const struct virtio_net_hdr_v1 no_offload;

FIXTURE(mnet) {
	struct mn m;
};

FIXTURE_SETUP(mnet)
{
	ASSERT_EQ(0, mn_up(&self->m, MN_TYPE, 1, MN_FEATURES)) {
		TH_LOG("no %s mdev (is mnet loaded?)", MN_TYPE);
	}
}

FIXTURE_TEARDOWN(mnet)
{
	mn_down(&self->m);
}

/* What virtio_net's probe reads, and the representor's names. */
TEST_F(mnet, identity_config_and_names)
{
	struct mn *m = &self->m;
	char path[256], buf[64], link[256];
	__u8 mac[6];
	__u16 vendor, device, status, pairs, mtu;
	ssize_t n;

	ASSERT_EQ(0, vd_cfg_rd(&m->d, PCI_VENDOR_ID, &vendor, 2));
	ASSERT_EQ(0, vd_cfg_rd(&m->d, PCI_DEVICE_ID, &device, 2));
	EXPECT_EQ(0x1af4, vendor);
	EXPECT_EQ(0x1041, device);
	EXPECT_EQ(3, vd_rd32(&m->d, VIRTIO_PCI_COMMON_NUMQ, 2));
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + i, &mac[i], 1));
	EXPECT_EQ(0, memcmp(mac, m->mac, 6));
	ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + 6, &status, 2));
	ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + 8, &pairs, 2));
	ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + 10, &mtu, 2));
	EXPECT_EQ(VIRTIO_NET_S_LINK_UP, status);
	EXPECT_EQ(1, pairs);
	EXPECT_EQ(1500, mtu);
	EXPECT_EQ(1500, rep_sysfs(m->ifname, "mtu"));

	/* The default MAC: locally administered, from the UUID. */
	snprintf(buf, sizeof(buf), "02:%.2s:%.2s:%.2s:%.2s:%.2s", m->d.uuid, m->d.uuid + 2,
		 m->d.uuid + 4, m->d.uuid + 6, m->d.uuid + 9);
	ASSERT_EQ(0, mac_parse(buf, mac));
	EXPECT_EQ(0, memcmp(mac, m->mac, 6));
	EXPECT_NE(0, memcmp(m->rep_mac, m->mac, 6));

	/* From the mdev to its representor, and back. */
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/net/%s", m->d.uuid, m->ifname);
	EXPECT_EQ(0, access(path, F_OK));
	snprintf(path, sizeof(path), "/sys/class/net/%s/device", m->ifname);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_GT(n, 0);
	link[n] = '\0';
	EXPECT_EQ(0, strcmp(strrchr(link, '/') + 1, m->d.uuid));
	snprintf(path, sizeof(path), "/sys/class/net/%s/phys_port_name", m->ifname);
	ASSERT_EQ(0, sysfs_read_str(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "mdev%.8s\n", m->d.uuid);
	EXPECT_STREQ(path, buf);
}

/* The guest's frames come out of the representor, byte for byte, and are counted. */
TEST_F(mnet, tx_to_representor)
{
	struct mn *m = &self->m;
	__u8 f[1514], got[2048];
	long long before = rep_stat(m->ifname, "rx0_packets");

	for (int i = 0; i < 8; i++) {
		size_t len = i == 0 ? 60 : (i == 1 ? 1514 : 100 + 97 * i);

		frame_fill(f, len, m->rep_mac, m->mac, i);
		ASSERT_EQ(0, mn_tx(m, 0, &no_offload, f, len));
		ASSERT_EQ((ssize_t)len, pkt_recv(m, got, sizeof(got)));
		EXPECT_EQ(0, memcmp(f, got, len));
	}
	EXPECT_EQ(before + 8, rep_stat(m->ifname, "rx0_packets"));
	EXPECT_LE(8, rep_sysfs(m->ifname, "statistics/rx_packets"));
}

/* Host frames land in posted buffers with a virtio-net header; counted. */
TEST_F(mnet, rx_from_representor)
{
	struct mn *m = &self->m;
	struct virtio_net_hdr_v1 *h;
	__u8 f[1514], *p;
	__u32 len;

	ASSERT_NE(NULL, mn_post_rx(m, 0, 8, 1536));
	for (int i = 0; i < 4; i++) {
		size_t flen = i ? 1514 : 60;

		frame_fill(f, flen, m->mac, m->rep_mac, 3 * i);
		ASSERT_EQ(0, pkt_send(m, f, flen));
		p = mn_rx_used(m, 0, &len);
		ASSERT_NE(NULL, p);
		ASSERT_EQ(MN_HDR + flen, len);
		h = (void *)p;
		EXPECT_EQ(1, h->num_buffers);
		EXPECT_EQ(VIRTIO_NET_HDR_GSO_NONE, h->gso_type);
		EXPECT_EQ(0, h->flags);
		EXPECT_EQ(0, memcmp(p + MN_HDR, f, flen));
	}
	EXPECT_EQ(4, rep_stat(m->ifname, "tx0_packets"));
}

/*
 * With MRG_RXBUF a frame spans buffers: the header says how many, and the
 * used index moves past all of them at once.
 */
TEST_F(mnet, mergeable_buffers_span)
{
	struct mn *m = &self->m;
	__u8 f[1000], got[1100], *p;
	size_t off = 0;
	__u32 len;

	ASSERT_NE(NULL, mn_post_rx(m, 0, 8, 256));
	frame_fill(f, sizeof(f), m->mac, m->rep_mac, 7);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	p = mn_rx_used(m, 0, &len);
	ASSERT_NE(NULL, p);
	/* (12 + 1000) / 256, rounded up: all four published together. */
	EXPECT_EQ(4, vd_used_idx(&m->d, rxq(0)));
	EXPECT_EQ(4, ((struct virtio_net_hdr_v1 *)p)->num_buffers);
	EXPECT_EQ(256, len);
	memcpy(got, p, len);
	off = len;
	for (int i = 1; i < 4; i++) {
		p = mn_rx_used(m, 0, &len);
		ASSERT_NE(NULL, p);
		memcpy(got + off, p, len);
		off += len;
	}
	EXPECT_EQ(MN_HDR + sizeof(f), off);
	EXPECT_EQ(0, memcmp(got + MN_HDR, f, sizeof(f)));
}

/* No buffers: the frame waits (the representor's queue stops) and is not lost. */
TEST_F(mnet, rx_waits_for_buffers)
{
	struct mn *m = &self->m;
	__u8 f[200], *p;
	__u32 len;

	frame_fill(f, sizeof(f), m->mac, m->rep_mac, 9);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	ASSERT_EQ(0, rep_stat_wait(m->ifname, "rx_no_buffer", 1));
	ASSERT_NE(NULL, mn_post_rx(m, 0, 1, 1536));
	p = mn_rx_used(m, 0, &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(MN_HDR + sizeof(f), len);
	EXPECT_EQ(0, memcmp(p + MN_HDR, f, sizeof(f)));
	EXPECT_EQ(0, rep_stat(m->ifname, "tx0_drops"));
}

/* The guest's checksum and TSO requests reach the host stack as skb metadata. */
TEST_F(mnet, tx_offloads_are_metadata)
{
	struct mn *m = &self->m;
	struct virtio_net_hdr_v1 hdr = { 0 };
	struct virtio_net_hdr *vh;
	static __u8 f[20000], got[sizeof(f) + 64];
	__u8 *ip, *tcp;
	ssize_t n;

	/* An IPv4/TCP frame of 20000 bytes to be segmented at 1448. */
	memset(f, 0, sizeof(f));
	memcpy(f, m->rep_mac, 6);
	memcpy(f + 6, m->mac, 6);
	f[12] = 0x08;
	ip = f + 14;
	ip[0] = 0x45;
	ip[2] = (sizeof(f) - 14) >> 8;
	ip[3] = (sizeof(f) - 14) & 0xff;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x37\x00\x02\x0a\x37\x00\x01", 8);
	tcp = ip + 20;
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;
	hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	hdr.hdr_len = 54;
	hdr.gso_size = 1448;
	hdr.csum_start = 34;
	hdr.csum_offset = 16;
	ASSERT_EQ(0, pkt_open(m, ETH_P_IP, true));
	ASSERT_EQ(0, mn_tx(m, 0, &hdr, f, sizeof(f)));
	n = pkt_recv(m, got, sizeof(got));
	ASSERT_EQ((ssize_t)(sizeof(*vh) + sizeof(f)), n);
	vh = (void *)got;
	/* One 20000-byte GSO frame, checksum still to be done: nothing in software. */
	EXPECT_EQ(VIRTIO_NET_HDR_GSO_TCPV4, vh->gso_type);
	EXPECT_EQ(1448, vh->gso_size);
	EXPECT_EQ(VIRTIO_NET_HDR_F_NEEDS_CSUM, vh->flags);
	EXPECT_EQ(34, vh->csum_start);
	EXPECT_EQ(16, vh->csum_offset);
	EXPECT_EQ(0, memcmp(got + sizeof(*vh), f, sizeof(f)));
}

/* The control queue: receive filter, offloads, queue pairs, and refusals. */
TEST_F(mnet, control_queue)
{
	struct mn *m = &self->m;
	/* VIRTIO_NET_CTRL_MAC_TABLE_SET: one unicast entry, no multicast. */
	__u8 table[4 + 6 + 4] = { 1 };
	__u32 lie = 1000;
	__u8 other[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	__u8 on = 0, f[100], *p;
	__u64 offloads;
	__u16 pairs;
	__u32 len;
	long long filtered = rep_stat(m->ifname, "rx_filtered");

	/* Promiscuous off, and a table with one extra unicast address. */
	EXPECT_EQ(VIRTIO_NET_OK, mn_ctrl(m, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
					 &on, 1));
	memcpy(table + 4, other, 6);
	EXPECT_EQ(VIRTIO_NET_OK, mn_ctrl(m, VIRTIO_NET_CTRL_MAC,
					 VIRTIO_NET_CTRL_MAC_TABLE_SET, &table, sizeof(table)));
	ASSERT_NE(NULL, mn_post_rx(m, 0, 4, 1536));
	/* Not for the guest: filtered.  Then its own and the table's: delivered. */
	frame_fill(f, sizeof(f), m->rep_mac, m->rep_mac, 1);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	ASSERT_EQ(0, rep_stat_wait(m->ifname, "rx_filtered", filtered + 1));
	frame_fill(f, sizeof(f), m->mac, m->rep_mac, 2);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	p = mn_rx_used(m, 0, &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(2 + 14, p[MN_HDR + 14]);
	frame_fill(f, sizeof(f), other, m->rep_mac, 3);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	p = mn_rx_used(m, 0, &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(3 + 14, p[MN_HDR + 14]);
	EXPECT_EQ(2, vd_used_idx(&m->d, rxq(0)));

	/* Offloads: a subset of the negotiated ones, or refused. */
	offloads = BIT_ULL(VIRTIO_NET_F_GUEST_CSUM);
	EXPECT_EQ(VIRTIO_NET_OK, mn_ctrl(m, VIRTIO_NET_CTRL_GUEST_OFFLOADS,
					 VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &offloads, 8));
	offloads = BIT_ULL(VIRTIO_NET_F_GUEST_UFO);
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_GUEST_OFFLOADS,
					  VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &offloads, 8));
	/* Queue pairs: 1 of 1; not 0, not 2. */
	pairs = 1;
	EXPECT_EQ(VIRTIO_NET_OK, mn_ctrl(m, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
					 &pairs, 2));
	pairs = 0;
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
					  &pairs, 2));
	pairs = 2;
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
					  &pairs, 2));
	/* Malformed: unknown class or command, short or long data, a table that lies. */
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, 0x7f, 0, NULL, 0));
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_RX, 0x7f, &on, 1));
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
					  NULL, 0));
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
					  other, 6));
	memcpy(table, &lie, sizeof(lie));
	EXPECT_EQ(VIRTIO_NET_ERR, mn_ctrl(m, VIRTIO_NET_CTRL_MAC,
					  VIRTIO_NET_CTRL_MAC_TABLE_SET, &table, sizeof(table)));
	EXPECT_LE(7, rep_stat(m->ifname, "ctrl_errors"));
	/* The refused table left the good one in place. */
	frame_fill(f, sizeof(f), other, m->rep_mac, 4);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	ASSERT_NE(NULL, mn_rx_used(m, 0, &len));
}

/* Each kind of bad transmit is dropped, counted, completed; the queue goes on. */
TEST_F(mnet, bad_transmits_dropped)
{
	struct mn *m = &self->m;
	struct virtio_net_hdr_v1 hdr;
	__u8 f[1600], got[2048];
	long long hdrs = rep_stat(m->ifname, "tx_bad_hdr");
	long long lens = rep_stat(m->ifname, "tx_bad_len");
	long long chains = rep_stat(m->ifname, "tx_bad_chain");
	long long faults = rep_stat(m->ifname, "faults");
	struct vd_buf b[2];
	__u32 used;

	frame_fill(f, sizeof(f), m->rep_mac, m->mac, 0);
	hdr = no_offload;
	hdr.gso_type = 0x42;
	ASSERT_EQ(0, mn_tx(m, 0, &hdr, f, 100));
	hdr = no_offload;
	hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	hdr.gso_size = 1000;
	ASSERT_EQ(0, mn_tx(m, 0, &hdr, f, 100));	/* GSO without NEEDS_CSUM */
	hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	hdr.csum_start = 90;
	hdr.csum_offset = 20;
	ASSERT_EQ(0, mn_tx(m, 0, &hdr, f, 100));	/* checksum beyond the frame */
	EXPECT_EQ(hdrs + 3, rep_stat(m->ifname, "tx_bad_hdr"));

	ASSERT_EQ(0, mn_tx(m, 0, &no_offload, f, 1600));	/* MTU + 86 */
	ASSERT_EQ(0, mn_tx(m, 0, &no_offload, f, 0));		/* a header alone */
	ASSERT_EQ(0, mn_tx(m, 0, &no_offload, f, 13));		/* a runt */
	EXPECT_EQ(lens + 3, rep_stat(m->ifname, "tx_bad_len"));

	/* A writable buffer in a transmit chain, and an unmapped one. */
	b[0] = (struct vd_buf){ 0, MN_HDR + 60, false };
	memset(vd_alloc(&m->d, MN_HDR + 60, &b[0].iova), 0, MN_HDR);
	b[1] = (struct vd_buf){ 0, 64, true };
	vd_alloc(&m->d, 64, &b[1].iova);
	ASSERT_EQ(0, vd_request(&m->d, txq(0), b, 2, &used));
	EXPECT_EQ(chains + 1, rep_stat(m->ifname, "tx_bad_chain"));
	b[0].iova = VD_UNMAPPED;
	ASSERT_EQ(0, vd_request(&m->d, txq(0), b, 1, &used));
	EXPECT_EQ(faults + 1, rep_stat(m->ifname, "faults"));

	/* Nothing of that came out; a good frame still does. */
	EXPECT_EQ(-1, recv(m->pkt, got, sizeof(got), 0));
	ASSERT_EQ(0, mn_tx(m, 0, &no_offload, f, 60));
	EXPECT_EQ(60, pkt_recv(m, got, sizeof(got)));
	EXPECT_EQ(0, vd_status(&m->d) & VIRTIO_CONFIG_S_NEEDS_RESET);
}

/* A descriptor loop is a broken ring: DEVICE_NEEDS_RESET, and a reset recovers. */
TEST_F(mnet, descriptor_loop_needs_reset)
{
	struct mn *m = &self->m;
	__u8 f[60], got[128];
	__u64 iova;

	vd_alloc(&m->d, 64, &iova);
	*vd_desc(&m->d, txq(0), 0) = (struct vring_desc){ iova, 64, VRING_DESC_F_NEXT, 1 };
	*vd_desc(&m->d, txq(0), 1) = (struct vring_desc){ iova, 64, VRING_DESC_F_NEXT, 0 };
	ASSERT_EQ(0, vd_kick(&m->d, txq(0), 0));
	for (int ms = 0; ms < MN_WAIT_MS && !(vd_status(&m->d) & VIRTIO_CONFIG_S_NEEDS_RESET);
	     ms += 10)
		usleep(10000);
	EXPECT_TRUE(vd_status(&m->d) & VIRTIO_CONFIG_S_NEEDS_RESET);
	EXPECT_EQ(0, vd_used_idx(&m->d, txq(0)));

	ASSERT_EQ(0, mn_setup(m, MN_FEATURES));
	frame_fill(f, sizeof(f), m->rep_mac, m->mac, 5);
	ASSERT_EQ(0, mn_tx(m, 0, &no_offload, f, sizeof(f)));
	EXPECT_EQ(60, pkt_recv(m, got, sizeof(got)));
}

/* Without MRG_RXBUF one buffer must hold the frame: a small one is not used. */
TEST_F(mnet, rx_buffer_too_small)
{
	struct mn *m = &self->m;
	__u64 f = MN_FEATURES & ~BIT_ULL(VIRTIO_NET_F_MRG_RXBUF);
	long long big = rep_stat(m->ifname, "rx_too_big");
	__u8 frame[600], *p;
	__u32 len;

	ASSERT_EQ(0, mn_setup(m, f));
	ASSERT_NE(NULL, mn_post_rx(m, 0, 1, 512));
	frame_fill(frame, sizeof(frame), m->mac, m->rep_mac, 0);
	ASSERT_EQ(0, pkt_send(m, frame, sizeof(frame)));
	ASSERT_EQ(0, rep_stat_wait(m->ifname, "rx_too_big", big + 1));
	EXPECT_EQ(0, vd_used_idx(&m->d, rxq(0)));
	/* The buffer is still there for a frame it holds. */
	ASSERT_EQ(0, pkt_send(m, frame, 400));
	p = mn_rx_used(m, 0, &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(MN_HDR + 400, len);
}

/* Carrier follows the driver; the guest's link follows the representor. */
TEST_F(mnet, carrier_and_link)
{
	struct mn *m = &self->m;
	__u16 status;
	__u8 isr;

	EXPECT_EQ(1, rep_sysfs(m->ifname, "carrier"));
	ASSERT_EQ(0, vd_wr(&m->d, VIRTIO_PCI_COMMON_STATUS, 0, 1));
	EXPECT_EQ(0, rep_sysfs(m->ifname, "carrier"));
	ASSERT_EQ(0, mn_setup(m, MN_FEATURES));
	EXPECT_EQ(1, rep_sysfs(m->ifname, "carrier"));
	ASSERT_EQ(0, vd_rd(&m->d, VD_ISR, &isr, 1));
	ASSERT_EQ(0, rep_set_up(m->ifname, false));
	ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + 6, &status, 2));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, vd_rd(&m->d, VD_ISR, &isr, 1));
	EXPECT_EQ(2, isr & 2);	/* the config interrupt */
	ASSERT_EQ(0, rep_set_up(m->ifname, true));
	ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + 6, &status, 2));
	EXPECT_EQ(VIRTIO_NET_S_LINK_UP, status);
}

/* The representor's MTU is the device's, and changes only while no driver runs. */
TEST_F(mnet, mtu_follows_representor)
{
	struct mn *m = &self->m;
	struct ifreq ifr = { 0 };
	__u16 mtu;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", m->ifname);
	ifr.ifr_mtu = 1400;
	EXPECT_EQ(-EBUSY, if_ioctl(SIOCSIFMTU, &ifr));
	ASSERT_EQ(0, vd_wr(&m->d, VIRTIO_PCI_COMMON_STATUS, 0, 1));
	ASSERT_EQ(0, if_ioctl(SIOCSIFMTU, &ifr));
	ASSERT_EQ(0, vd_rd(&m->d, VD_DEVICE + 10, &mtu, 2));
	EXPECT_EQ(1400, mtu);
	ifr.ifr_mtu = 1500;
	ASSERT_EQ(0, if_ioctl(SIOCSIFMTU, &ifr));
}

/* The MAC attribute: a unicast address, set only while the mdev is closed. */
TEST(mac_attribute)
{
	char parent[64], uuid[MDEV_UUID_LEN + 1], path[256], buf[64];
	struct mn m = { .pkt = -1 };
	__u8 mac[6];

	ASSERT_EQ(0, mdev_find_parent(MN_TYPE, parent, sizeof(parent)));
	ASSERT_EQ(0, mdev_create(parent, MN_TYPE, uuid));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mac", uuid);
	EXPECT_EQ(-EINVAL, sysfs_write_str(path, "01:00:5e:00:00:01"));	/* multicast */
	EXPECT_EQ(-EINVAL, sysfs_write_str(path, "00:00:00:00:00:00"));
	EXPECT_EQ(-EINVAL, sysfs_write_str(path, "not a mac"));
	EXPECT_EQ(-EINVAL, sysfs_write_str(path, "52:54:00:12:34:56:78"));
	EXPECT_EQ(0, sysfs_write_str(path, "52:54:00:12:34:56"));
	ASSERT_EQ(0, sysfs_read_str(path, buf, sizeof(buf)));
	EXPECT_STREQ("52:54:00:12:34:56\n", buf);
	EXPECT_EQ(0, mdev_remove(uuid));

	/* Open: the config says what was set; a write is refused. */
	ASSERT_EQ(0, mn_open(&m, MN_TYPE, 1));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mac", m.d.uuid);
	EXPECT_EQ(-EBUSY, sysfs_write_str(path, "52:54:00:12:34:57"));
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(0, vd_rd(&m.d, VD_DEVICE + i, &mac[i], 1));
	EXPECT_EQ(0, memcmp(mac, m.mac, 6));
	mn_down(&m);
}

/* Four pairs: the driver turns them on, and every pair carries traffic both ways. */
TEST(multiqueue)
{
	struct mn m = { .pkt = -1 };
	__u8 f[200], got[256];
	char name[32];
	__u16 pairs = 4;
	__u32 len;

	ASSERT_EQ(0, mn_up(&m, MN_TYPE4, 4, MN_FEATURES));
	EXPECT_EQ(9, vd_rd32(&m.d, VIRTIO_PCI_COMMON_NUMQ, 2));
	EXPECT_EQ(VIRTIO_NET_OK, mn_ctrl(&m, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
					 &pairs, 2));
	for (unsigned int p = 0; p < 4; p++) {
		frame_fill(f, sizeof(f), m.rep_mac, m.mac, p);
		ASSERT_EQ(0, mn_tx(&m, p, &no_offload, f, sizeof(f)));
		ASSERT_EQ((ssize_t)sizeof(f), pkt_recv(&m, got, sizeof(got)));
		EXPECT_EQ(0, memcmp(f, got, sizeof(f)));
		snprintf(name, sizeof(name), "rx%u_packets", p);
		EXPECT_EQ(1, rep_stat(m.ifname, name));
		ASSERT_NE(NULL, mn_post_rx(&m, p, 16, 1536));
	}
	/* Host frames go to the pair of the representor's queue: count them all. */
	for (int i = 0; i < 16; i++) {
		frame_fill(f, sizeof(f), m.mac, m.rep_mac, i);
		ASSERT_EQ(0, pkt_send(&m, f, sizeof(f)));
	}
	len = 0;
	for (int ms = 0; ms < MN_WAIT_MS && len < 16; ms += 10) {
		len = 0;
		for (unsigned int p = 0; p < 4; p++)
			len += vd_used_idx(&m.d, rxq(p));
		usleep(10000);
	}
	EXPECT_EQ(16, len);
	mn_down(&m);
}

/*
 * Without MQ the control queue is queue 2, whatever pairs the type has (a
 * 4-pair mdev took queue 2 for the second receive queue and never answered).
 */
TEST(control_queue_without_mq)
{
	struct mn m = { .pkt = -1 };
	__u8 on = 1;

	ASSERT_EQ(0, mn_up(&m, MN_TYPE4, 1, MN_FEATURES & ~BIT_ULL(VIRTIO_NET_F_MQ)));
	EXPECT_EQ(VIRTIO_NET_OK, mn_ctrl(&m, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
					 &on, 1));
	mn_down(&m);
}

/* Two mdevs at the same IOVA: each one's frames land in its own memory only. */
TEST(isolation)
{
	struct mn a = { .pkt = -1 }, b = { .pkt = -1 };
	__u8 f[100], *pa, *pb;
	__u32 len;

	ASSERT_EQ(0, mn_up(&a, MN_TYPE, 1, MN_FEATURES));
	ASSERT_EQ(0, mn_up(&b, MN_TYPE, 1, MN_FEATURES));
	pa = mn_post_rx(&a, 0, 2, 1536);
	pb = mn_post_rx(&b, 0, 2, 1536);
	ASSERT_NE(NULL, pa);
	ASSERT_NE(NULL, pb);
	frame_fill(f, sizeof(f), a.mac, a.rep_mac, 0x11);
	ASSERT_EQ(0, pkt_send(&a, f, sizeof(f)));
	ASSERT_NE(NULL, mn_rx_used(&a, 0, &len));
	EXPECT_EQ(0, memcmp(pa + MN_HDR, f, sizeof(f)));
	EXPECT_EQ(0xee, pb[0]);
	EXPECT_EQ(0xee, pb[MN_HDR + 20]);
	EXPECT_EQ(0, vd_used_idx(&b.d, rxq(0)));
	mn_down(&a);
	mn_down(&b);
}

struct flood {
	struct mn *m;
	bool stop;		/* atomic: set by the test, read by the thread */
	unsigned int sent;
};

static void *flood_run(void *arg)
{
	struct flood *fl = arg;
	__u8 f[1000];

	frame_fill(f, sizeof(f), fl->m->mac, fl->m->rep_mac, 0);
	while (!__atomic_load_n(&fl->stop, __ATOMIC_RELAXED)) {
		if (!pkt_send(fl->m, f, sizeof(f)))
			fl->sent++;
	}
	return NULL;
}

/*
 * A reset with host traffic in flight: once the status reads 0 nothing is
 * written into the old buffers, and the device comes back.
 */
TEST_F(mnet, reset_with_traffic)
{
	struct mn *m = &self->m;
	struct flood fl = { .m = m };
	ssize_t written = -1;
	pthread_t t;
	__u8 *p, f[100];
	__u32 len;

	p = mn_post_rx(m, 0, MN_NUM, 1536);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, pthread_create(&t, NULL, flood_run, &fl));
	for (int ms = 0; ms < MN_WAIT_MS && vd_used_idx(&m->d, rxq(0)) < 8; ms += 5)
		usleep(5000);
	ASSERT_EQ(0, vd_wr(&m->d, VIRTIO_PCI_COMMON_STATUS, 0, 1));
	ASSERT_EQ(0, vd_status(&m->d));
	memset(p, 0xa5, MN_NUM * 1536);
	memset(vd_used(&m->d, rxq(0)), 0xa5, 64);
	usleep(200000);
	__atomic_store_n(&fl.stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	EXPECT_LT(8, fl.sent);
	for (int i = 0; i < 64; i++)
		EXPECT_EQ(0xa5, ((__u8 *)vd_used(&m->d, rxq(0)))[i]);
	for (size_t i = 0; i < (size_t)MN_NUM * 1536; i++)
		if (p[i] != 0xa5) {
			written = i;
			break;
		}
	EXPECT_EQ(-1, written) {
		TH_LOG("byte %zd of the old buffers written after the reset", written);
	}
	/* A new driver: it works. */
	ASSERT_EQ(0, mn_setup(m, MN_FEATURES));
	ASSERT_NE(NULL, mn_post_rx(m, 0, 2, 1536));
	frame_fill(f, sizeof(f), m->mac, m->rep_mac, 0x33);
	ASSERT_EQ(0, pkt_send(m, f, sizeof(f)));
	p = mn_rx_used(m, 0, &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, memcmp(p + MN_HDR, f, sizeof(f)));
}

TEST_HARNESS_MAIN
