// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the lab VM.
 *
 * The root filesystem is the host's, read-only over virtio-9p.  This gives
 * the guest writable /tmp, /run (tmpfs) and /etc, /var, /root, /usr/lib
 * (overlayfs on tmpfs: /usr/lib so that our kernel's modules can appear at
 * /lib/modules on a host that has none), mounts the results share and the
 * kernel's modules, runs scripts/guest/$LAB_MODE, and leaves through
 * isa-debug-exit, so QEMU's exit status tells the host that the guest reached
 * the end rather than died.
 *
 * It is a static C program rather than a shell script because every exec of
 * a dynamically linked program costs about a second on a KASAN + lockdep
 * kernel under TCG; this does the same work in a few milliseconds.
 *
 * The kernel passes LAB_DIR, LAB_MODE, LAB_MODROOT and friends from its
 * command line in the environment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEBUG_EXIT_PORT 0xf4

static void note(const char *what, const char *path)
{
	fprintf(stderr, "vm-init: %s %s: %s\n", what, path, strerror(errno));
}

static void mnt(const char *src, const char *dst, const char *type,
		unsigned long flags, const char *opts)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, opts) && errno != EBUSY)
		note("mount", dst);
}

static void overlay(const char *dir)
{
	char name[64], upper[128], work[128], opts[512];

	snprintf(name, sizeof(name), "%s", dir + 1);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	snprintf(upper, sizeof(upper), "/run/lab-ovl/%s.upper", name);
	snprintf(work, sizeof(work), "/run/lab-ovl/%s.work", name);
	mkdir(upper, 0755);
	mkdir(work, 0755);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", dir, upper, work);
	if (mount("overlay", dir, "overlay", 0, opts))
		note("overlay", dir);
}

static void mkdir_p(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

/*
 * The tmpfs on /tmp and /run hides whatever the host has there, and the
 * repository may be a clone under /tmp.  @fd was opened on it before: put
 * it back at its path if it disappeared.
 */
static void keep_visible(const char *path, int fd)
{
	struct stat before, now;
	char src[64];

	if (fd < 0 || fstat(fd, &before))
		return;
	if (!stat(path, &now) && now.st_dev == before.st_dev && now.st_ino == before.st_ino)
		return;
	mkdir_p(path);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	if (mount(src, path, NULL, MS_BIND, NULL))
		note("bind", path);
}

static void loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return;
	if (!ioctl(s, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

static void lab_exit(void)
{
	int fd = open("/dev/port", O_WRONLY);

	sync();
	/* isa-debug-exit: QEMU exits with status (value << 1) | 1. */
	if (fd < 0 || pwrite(fd, "", 1, DEBUG_EXIT_PORT) != 1)
		note("write", "/dev/port");
	/* Not reached unless the device is missing: -no-reboot ends QEMU. */
	reboot(RB_AUTOBOOT);
}

int main(void)
{
	const char *lab = getenv("LAB_DIR"), *mode = getenv("LAB_MODE");
	const char *modroot = getenv("LAB_MODROOT");
	char script[512];
	int lab_fd = lab ? open(lab, O_PATH | O_DIRECTORY) : -1;
	pid_t child;
	int status;

	mnt("proc", "/proc", "proc", 0, NULL);
	mnt("sysfs", "/sys", "sysfs", 0, NULL);
	mnt("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* What udev would create and bash's process substitution needs. */
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	mnt("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
	mnt("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
	mnt("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mnt("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	mnt("tmpfs", "/run", "tmpfs", 0, "mode=0755");
	mkdir("/run/lab-ovl", 0755);
	overlay("/etc");
	overlay("/var");
	overlay("/root");
	overlay("/usr/lib");
	mkdir("/var/tmp", 01777);
	keep_visible(lab, lab_fd);
	mnt("labout", "/run/lab-out", "9p", 0, "trans=virtio,version=9p2000.L,msize=262144");
	if (modroot) {
		char src[512];

		snprintf(src, sizeof(src), "%s/lib/modules", modroot);
		mnt(src, "/usr/lib/modules", NULL, MS_BIND, NULL);
	}
	sethostname("lab", 3);
	loopback_up();

	if (!lab || !mode || chdir(lab)) {
		fprintf(stderr, "vm-init: LAB_DIR/LAB_MODE missing or unusable\n");
		lab_exit();
	}
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);
	setenv("LANG", "C.UTF-8", 1);
	if (!getenv("TERM"))
		setenv("TERM", "linux", 1);
	setenv("LAB_OUT", "/run/lab-out", 1);
	snprintf(script, sizeof(script), "%s/scripts/guest/%s", lab, mode);

	child = fork();
	if (child == 0) {
		execl(script, script, (char *)NULL);
		note("exec", script);
		_exit(127);
	}
	/* As PID 1, reap every orphan until the mode's script is done. */
	while (child > 0) {
		pid_t pid = wait(&status);

		if (pid == child || (pid < 0 && errno == ECHILD))
			break;
	}
	lab_exit();
	return 0;
}
