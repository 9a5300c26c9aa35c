// SPDX-License-Identifier: GPL-2.0
/*
 * The "net" suite of the L2 guest's init: the stock virtio_net driver on
 * an mnet mdev (samples/vfio-mdev/mnet/).  The kernel has configured the
 * address before init runs (IP_PNP, "ip=" on the command line); this
 * checks what the driver made of the device, then serves two TCP streams
 * to the lab VM on port L2_NET_PORT: the first it receives and sums, the
 * second it sends (L2_NET_BYTES of a reproducible pseudo-random stream)
 * and sums.  The sums are POSIX cksum(1) CRCs, so the lab VM compares them
 * with cksum on its side.  Ping needs nothing here: the kernel answers.
 *
 *   ok 1 virtio_net probed: eth0, MAC 02:..., 1 queue pair(s) in use
 *   ok 2 eth0 is up with 10.55.0.2
 *   ok 3 net: received 16777216 bytes from 10.55.0.1 in 9.1 s, cksum 123 16777216
 *   ok 4 net: sent 16777216 bytes to 10.55.0.1 in 8.2 s, cksum 456 16777216
 *
 * env: L2_NET_MAC (the MAC the mdev was given: checked), L2_NET_PORT
 *      (default 5001), L2_NET_BYTES (default 16 MiB), L2_NET_WAIT
 *      (seconds to wait for each connection, default 300).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "l2.h"

#define NET_IF		"eth0"
#define NET_BUF		65536

/* POSIX cksum(1): CRC-32 (0x04c11db7, MSB first) of the data, then its length. */
struct cksum {
	__u32 crc;
	__u64 len;
};

static __u32 cksum_table[256];

static void cksum_init(struct cksum *c)
{
	for (unsigned int i = 0; i < 256 && !cksum_table[255]; i++) {
		__u32 r = i << 24;

		for (int b = 0; b < 8; b++)
			r = r & 0x80000000u ? (r << 1) ^ 0x04c11db7u : r << 1;
		cksum_table[i] = r;
	}
	c->crc = 0;
	c->len = 0;
}

static void cksum_add(struct cksum *c, const __u8 *p, size_t n)
{
	c->len += n;
	while (n--)
		c->crc = (c->crc << 8) ^ cksum_table[(c->crc >> 24) ^ *p++];
}

static __u32 cksum_end(const struct cksum *c)
{
	__u32 crc = c->crc;

	for (__u64 len = c->len; len; len >>= 8)
		crc = (crc << 8) ^ cksum_table[(crc >> 24) ^ (len & 0xff)];
	return ~crc;
}

static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", NET_IF);
	ret = ioctl(fd, req, ifr) ? -errno : 0;
	close(fd);
	return ret;
}

/* Every queue pair the device has, as `ethtool -L eth0 combined N` would. */
static unsigned int net_channels(void)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr = { .ifr_data = (void *)&ch };

	if (if_ioctl(SIOCETHTOOL, &ifr))
		return 0;
	if (ch.combined_count < ch.max_combined) {
		ch.cmd = ETHTOOL_SCHANNELS;
		ch.combined_count = ch.max_combined;
		if (if_ioctl(SIOCETHTOOL, &ifr))
			printf("# net: cannot set %u channels\n", ch.max_combined);
		ch.cmd = ETHTOOL_GCHANNELS;
		if (if_ioctl(SIOCETHTOOL, &ifr))
			return 0;
	}
	return ch.combined_count;
}

static void net_probe(void)
{
	char mac[32] = "", path[PATH_MAX];
	const char *want = getenv("L2_NET_MAC");
	unsigned int pairs;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", NET_IF);
	if (read_file(path, mac, sizeof(mac)) < 0) {
		result(0, "virtio_net probed # no %s", NET_IF);
		return;
	}
	mac[strcspn(mac, "\n")] = '\0';
	pairs = net_channels();
	result(!want || !strcasecmp(want, mac),
	       "virtio_net probed: %s, MAC %s%s, %u queue pair(s) in use", NET_IF, mac,
	       want ? (strcasecmp(want, mac) ? " # the mdev was given another" :
		       ", the mdev's") : "", pairs);
	snprintf(path, sizeof(path), "/sys/class/net/%s/device/features", NET_IF);
	if (read_file(path, path, sizeof(path)) > 0)
		printf("# net: virtio features %s", path);
	/* eth0's device is virtio<n>, whose parent is the PCI function. */
	if (realpath("/sys/class/net/" NET_IF "/device/..", path))
		show_irq("virtio_net", last_part(path));
}

static int net_up(void)
{
	struct ifreq ifr = { 0 };
	char addr[INET_ADDRSTRLEN] = "none";
	int up;

	up = !if_ioctl(SIOCGIFFLAGS, &ifr) && (ifr.ifr_flags & IFF_UP) &&
	     (ifr.ifr_flags & IFF_RUNNING);
	if (!if_ioctl(SIOCGIFADDR, &ifr))
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr, addr,
			  sizeof(addr));
	result(up && strcmp(addr, "none"), "%s is up with %s", NET_IF, addr);
	return up ? 0 : -1;
}

/* The next connection to @lfd, or -1 after @wait seconds. */
static int net_accept(int lfd, unsigned long wait, char *peer, size_t size)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd;

	if (poll(&p, 1, wait * 1000) <= 0)
		return -1;
	fd = accept(lfd, (struct sockaddr *)&sa, &len);
	if (fd >= 0)
		inet_ntop(AF_INET, &sa.sin_addr, peer, size);
	return fd;
}

static void net_receive(int lfd, unsigned long wait, __u8 *buf)
{
	char peer[INET_ADDRSTRLEN] = "?";
	struct cksum c;
	double t0;
	ssize_t n;
	int fd;

	fd = net_accept(lfd, wait, peer, sizeof(peer));
	if (fd < 0) {
		result(0, "net: received a stream # no connection in %lu s", wait);
		return;
	}
	cksum_init(&c);
	t0 = uptime();
	while ((n = read(fd, buf, NET_BUF)) > 0)
		cksum_add(&c, buf, n);
	result(n == 0 && c.len, "net: received %llu bytes from %s in %.1f s, cksum %u %llu",
	       (unsigned long long)c.len, peer, uptime() - t0, cksum_end(&c),
	       (unsigned long long)c.len);
	close(fd);
}

static void net_send(int lfd, unsigned long wait, unsigned long bytes, __u8 *buf)
{
	char peer[INET_ADDRSTRLEN] = "?";
	unsigned long left = bytes;
	struct cksum c;
	double t0;
	int fd;

	fd = net_accept(lfd, wait, peer, sizeof(peer));
	if (fd < 0) {
		result(0, "net: sent a stream # no connection in %lu s", wait);
		return;
	}
	cksum_init(&c);
	l2_srand(0x5105ull);
	t0 = uptime();
	while (left) {
		size_t n = left < NET_BUF ? left : NET_BUF;
		size_t off = 0;

		l2_fill(buf, n);
		cksum_add(&c, buf, n);
		while (off < n) {
			ssize_t w = write(fd, buf + off, n - off);

			if (w <= 0)
				goto out;
			off += w;
		}
		left -= n;
	}
out:
	result(!left, "net: sent %llu bytes to %s in %.1f s, cksum %u %llu",
	       (unsigned long long)c.len, peer, uptime() - t0, cksum_end(&c),
	       (unsigned long long)c.len);
	close(fd);
}

void net_suite(void)
{
	unsigned long port = env_ulong("L2_NET_PORT", 5001);
	unsigned long bytes = env_ulong("L2_NET_BYTES", 16ul << 20);
	unsigned long wait = env_ulong("L2_NET_WAIT", 300);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int lfd, one = 1;
	__u8 *buf;

	net_probe();
	if (net_up())
		return;
	buf = malloc(NET_BUF);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (!buf || lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 2)) {
		result(0, "net: listening on port %lu # %s", port, strerror(errno));
		free(buf);
		return;
	}
	printf("# net: listening on port %lu\n", port);
	fflush(stdout);
	net_receive(lfd, wait, buf);
	net_send(lfd, wait, bytes, buf);
	close(lfd);
	free(buf);
}
