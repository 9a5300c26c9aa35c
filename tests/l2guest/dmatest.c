// SPDX-License-Identifier: GPL-2.0
/*
 * The L2 guest's DMA suite (L2_TESTS=dma): the mdma mdevs assigned to the
 * guest are taken by the stock plx_dma driver, and the kernel's own dmatest
 * runs on every plx_dma channel at once, one result per channel:
 *
 *   ok 1 plx_dma probed: 2 channels (dma0chan0 dma1chan0)
 *   # dma0chan0 on 0000:01:00.0: msix interrupt, irq 24
 *   # dma1chan0 on 0000:02:00.0: msix interrupt, irq 26
 *   ok 2 dmatest set up on 2 channels
 *   # dmatest: dma0chan0-copy0: summary 100 tests, 0 failures ...
 *   ok 3 dmatest dma0chan0: 100 tests, 0 failures
 *   ok 4 dmatest dma1chan0: 100 tests, 0 failures
 *
 * From the kernel command line:
 *   DMATEST_ITERATIONS  transfers (100)
 *   DMATEST_BUF_SIZE    bytes per buffer (16384, dmatest's default)
 *   DMATEST_TIMEOUT_MS  dmatest's per-transfer timeout (20000)
 *   L2_CHANNELS         plx_dma channels to wait for (1): one per mdev
 *                       assigned; fewer after L2_WAIT_S fails test 1
 *   L2_WAIT_S           seconds to wait for the channels and for dmatest (300;
 *                       the guest's clock runs slow, the lab VM's test
 *                       keeps its own, shorter, wall-clock timeout)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "l2.h"

#define DMATEST_PARAMS	"/sys/module/dmatest/parameters/"
#define DMA_CLASS	"/sys/class/dma"
/* At most this many plx_dma channels are tested. */
#define MAX_CHANS	8

static int write_param(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DMATEST_PARAMS "%s", name);
	return write_file(path, val);
}

static int write_param_ulong(const char *name, unsigned long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", val);
	return write_param(name, buf);
}

struct plx_chan {
	char name[32];		/* dmaNchanM */
	char pci[32];		/* its PCI device */
	unsigned long tests, failures;
	int summaries;
};

static int chan_cmp(const void *a, const void *b)
{
	const struct plx_chan *x = a, *y = b;

	/* dma2chan0 before dma10chan0 */
	if (strlen(x->name) != strlen(y->name))
		return strlen(x->name) < strlen(y->name) ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The DMA channels whose device is bound to plx_dma, at most @max of them,
 * in @chans sorted by name.  Their number, or -1 when there is no DMA class.
 */
static int find_plx_channels(struct plx_chan *chans, int max)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct plx_chan *c;
	struct dirent *de;
	DIR *d = opendir(DMA_CLASS);
	int found = 0;
	ssize_t n;

	if (!d)
		return -1;
	while (found < max && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DMA_CLASS "/%s/device/driver", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(last_part(link), "plx_dma"))
			continue;
		snprintf(path, sizeof(path), DMA_CLASS "/%s/device", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		c = &chans[found];
		memset(c, 0, sizeof(*c));
		if (snprintf(c->name, sizeof(c->name), "%s", de->d_name) >= (int)sizeof(c->name) ||
		    snprintf(c->pci, sizeof(c->pci), "%s", last_part(link)) >= (int)sizeof(c->pci))
			continue;
		found++;
	}
	closedir(d);
	qsort(chans, found, sizeof(*chans), chan_cmp);
	return found;
}

/*
 * Read the dmatest "wait" parameter, which blocks until every test thread
 * is done, in a child, so that a dmatest that never finishes is reported
 * after @secs instead of hanging the guest.  0 when it finished.
 */
static int dmatest_wait(unsigned long secs)
{
	struct timespec ts = { (time_t)secs, 0 };
	sigset_t set;
	pid_t child;
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		char buf[8];
		int fd = open(DMATEST_PARAMS "wait", O_RDONLY);

		_exit(fd >= 0 && read(fd, buf, sizeof(buf)) > 0 ? 0 : 1);
	}
	for (;;) {
		if (waitpid(child, &status, WNOHANG) == child)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
		if (sigtimedwait(&set, NULL, &ts) < 0 && errno == EAGAIN)
			return -1;	/* timed out: the child stays blocked */
	}
}

/*
 * Go through the kernel log: echo dmatest's lines as TAP diagnostics and
 * add up the tests and failures of the summary lines of each of @chans
 * (dmatest names a thread "<channel>-<op><n>").  -1 when the log cannot
 * be read.
 */
static int dmatest_summary(struct plx_chan *chans, int nchans)
{
	static char log[1 << 17];
	char *line, *save, *msg;
	int len, i, echoed = 0;
	size_t clen;
	unsigned long t, f;

	for (i = 0; i < nchans; i++) {
		chans[i].tests = 0;
		chans[i].failures = 0;
		chans[i].summaries = 0;
	}
	len = read_kernel_log(log, sizeof(log));
	if (len < 0)
		return -1;
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		msg = strstr(line, "dmatest: ");
		if (!msg)
			continue;
		if (echoed++ < 8 * nchans)
			printf("# %s\n", msg);
		msg += strlen("dmatest: ");
		for (i = 0; i < nchans; i++) {
			clen = strlen(chans[i].name);
			if (strncmp(msg, chans[i].name, clen) || msg[clen] != '-')
				continue;
			msg = strstr(msg, ": summary ");
			if (!msg || sscanf(msg, ": summary %lu tests, %lu failures", &t, &f) != 2)
				break;
			chans[i].tests += t;
			chans[i].failures += f;
			chans[i].summaries++;
			break;
		}
	}
	return 0;
}

void dmatest_suite(void)
{
	unsigned long iterations = env_ulong("DMATEST_ITERATIONS", 100);
	unsigned long buf_size = env_ulong("DMATEST_BUF_SIZE", 16384);
	unsigned long timeout_ms = env_ulong("DMATEST_TIMEOUT_MS", 20000);
	unsigned long want = env_ulong("L2_CHANNELS", 1);
	unsigned long wait_s = env_ulong("L2_WAIT_S", 300);
	struct plx_chan chans[MAX_CHANS];
	char names[MAX_CHANS * 33] = "";
	int n, i, found, setup, finished;
	double deadline;

	printf("# dmatest: iterations=%lu test_buf_size=%lu timeout=%lu ms\n",
	       iterations, buf_size, timeout_ms);
	if (want < 1 || want > MAX_CHANS)
		want = 1;

	/* plx_dma is built in and normally probed before init runs. */
	deadline = uptime() + wait_s;
	while ((found = find_plx_channels(chans, MAX_CHANS)) < (int)want && uptime() < deadline)
		pause_ms(100);
	n = found > 0 ? found : 0;
	for (i = 0; i < n; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? " " : "", chans[i].name);
	result(n >= (int)want, "plx_dma probed: %d channel%s (%s)%s", n,
	       n == 1 ? "" : "s", names, n >= (int)want ? "" : " # fewer than L2_CHANNELS");
	for (i = 0; i < n; i++)
		show_irq(chans[i].name, chans[i].pci);
	if (!n) {
		result(0, "dmatest set up # no channel");
		result(0, "dmatest # no channel");
		return;
	}

	setup = write_param_ulong("timeout", timeout_ms) |
		write_param_ulong("iterations", iterations) |
		write_param_ulong("test_buf_size", buf_size) |
		write_param_ulong("threads_per_chan", 1);
	/* Each write of "channel" adds one to the test (dmatest.rst). */
	for (i = 0; i < n; i++)
		setup |= write_param("channel", chans[i].name);
	setup |= write_param("run", "1");
	result(!setup, "dmatest set up on %d channel%s", n, n == 1 ? "" : "s");
	if (setup) {
		for (i = 0; i < n; i++)
			result(0, "dmatest %s # not started", chans[i].name);
		return;
	}

	finished = !dmatest_wait(wait_s);
	if (dmatest_summary(chans, n))
		printf("# cannot read the kernel log: %s\n", strerror(errno));
	for (i = 0; i < n; i++) {
		struct plx_chan *c = &chans[i];

		if (!finished)
			result(0, "dmatest %s # not finished after %lu s", c->name, wait_s);
		else if (!c->summaries)
			result(0, "dmatest %s # no summary line in the kernel log", c->name);
		else
			result(c->tests == iterations && !c->failures,
			       "dmatest %s: %lu tests, %lu failures",
			       c->name, c->tests, c->failures);
	}
}
