// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the L2 guest (build/guest/initramfs.cpio.gz): the stock 6.1
 * kernel of configs/l2guest/kernel.config, booted by QEMU inside the lab VM
 * with mdevs assigned through vfio-pci.  It runs the suites that L2_TESTS
 * names, in that order, and reports on the serial console as TAP, the plan
 * last, then leaves:
 *
 *   TAP version 13
 *   # init at 3.21 s; suites: dma,crypto
 *   ok 1 plx_dma probed: 1 channel (dma0chan0)
 *   ...
 *   ok 9 AF_ALG: 48 random requests ... equal to cbc(aes-generic)
 *   1..9
 *   # boot-to-result: 12.34 s (guest uptime)
 *   L2-DONE
 *
 * A line "L2-DONE" closes the report: a console that lacks it came from a
 * guest that died on the way.  The tests in the lab VM (tests/l2guest/,
 * tests/libvirt/guest_test.sh) read all this from the console.
 *
 * The kernel hands unknown "name=value" words of its command line to init's
 * environment.  L2_TESTS is a comma-separated list of suites (l2.h):
 *   dma          plx_dma and dmatest (dmatest.c; the default)
 *   crypto       virtio_crypto, its self-tests and AF_ALG (crypto_suite.c)
 *   cryptobench  AF_ALG throughput as diagnostics (crypto_bench.c)
 *   net          virtio_net, and TCP streams with the lab VM (net_suite.c)
 * Each suite reads its own settings from the environment too.
 *
 * The kernel has no ACPI (configs/l2guest/kernel.config), so it cannot power the
 * machine off: init leaves through a reboot, which QEMU's -no-reboot (and
 * libvirt's on_reboot=destroy) turn into the end of the guest.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "l2.h"

/* syslog(2) actions; glibc's <sys/klog.h> does not name them. */
#define SYSLOG_READ_ALL		3
#define SYSLOG_CONSOLE_LEVEL	8
/* Console log level while init reports: warnings and worse only. */
#define CONSOLE_LEVEL		5

static int results;

unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end) {
		printf("# %s=%s is not a number, using %lu\n", name, s, def);
		return def;
	}
	return v;
}

void tap_result(int ok, const char *what)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++results, what);
	fflush(stdout);
}

double uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

const char *last_part(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int write_file(const char *path, const char *val)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val)) {
		printf("# writing \"%s\" to %s: %s\n", val, path, strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : (ssize_t)len;
}

int read_kernel_log(char *buf, int size)
{
	int len = klogctl(SYSLOG_READ_ALL, buf, size - 1);

	if (len < 0)
		return -1;
	buf[len] = '\0';
	return len;
}

void show_irq(const char *what, const char *pci)
{
	char path[PATH_MAX], kind[16];
	struct dirent *de;
	int fd, shown = 0;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/msi_irqs", pci);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY);
		n = fd >= 0 ? read(fd, kind, sizeof(kind) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		kind[n] = '\0';
		kind[strcspn(kind, "\n")] = '\0';
		printf("# %s on %s: %s interrupt, irq %s\n", what, pci, kind, de->d_name);
		shown = 1;
	}
	if (d)
		closedir(d);
	if (!shown)
		printf("# %s on %s: no MSI or MSI-X interrupt (INTx)\n", what, pci);
}

/* xorshift64*: a seed gives the same requests on every run. */
static __u64 rand_state = 1;

void l2_srand(__u64 seed)
{
	rand_state = seed ? seed : 1;
}

__u64 l2_rand(void)
{
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return rand_state * 0x2545f4914f6cdd1dULL;
}

void l2_fill(void *buf, size_t len)
{
	__u8 *p = buf;
	__u64 r;
	size_t i;

	for (i = 0; i < len; i += 8) {
		r = l2_rand();
		memcpy(p + i, &r, len - i < 8 ? len - i : 8);
	}
}

static void mnt(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		printf("# mount %s: %s\n", dst, strerror(errno));
}

static const struct {
	const char *name;
	void (*run)(void);
} suites[] = {
	{ "dma", dmatest_suite },
	{ "crypto", crypto_suite },
	{ "net", net_suite },
	{ "cryptobench", crypto_bench },
};

int main(void)
{
	const char *list = getenv("L2_TESTS");
	char names[128], *name, *save;
	size_t i;

	mnt("proc", "/proc", "proc");
	mnt("sysfs", "/sys", "sysfs");
	mnt("devtmpfs", "/dev", "devtmpfs");
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Keep the kernel's chatter from splitting our lines. */
	klogctl(SYSLOG_CONSOLE_LEVEL, NULL, CONSOLE_LEVEL);

	snprintf(names, sizeof(names), "%s", list && *list ? list : "dma");
	printf("TAP version 13\n");
	printf("# init at %.2f s; suites: %s\n", uptime(), names);
	for (name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(suites); i++) {
			if (!strcmp(name, suites[i].name))
				break;
		}
		if (i == ARRAY_SIZE(suites))
			result(0, "suite %s # unknown (L2_TESTS)", name);
		else
			suites[i].run();
	}
	printf("1..%d\n", results);
	printf("# boot-to-result: %.2f s (guest uptime)\n", uptime());
	printf("L2-DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
