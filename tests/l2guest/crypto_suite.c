// SPDX-License-Identifier: GPL-2.0
/*
 * The L2 guest's crypto suite (L2_TESTS=crypto): the mcrypto mdevs assigned
 * to the guest are taken by the stock virtio_crypto driver, which registers
 * cbc(aes), rsa and pkcs1pad(rsa) once a device is ready; the kernel's own
 * self-tests (testmgr, with CRYPTO_MANAGER_EXTRA_TESTS: cbc(aes) fuzzed
 * against cbc(aes-generic)) run on each of them before anything may use
 * it.  Then an AF_ALG client names the device's driver and checks it
 * against NIST SP 800-38A's CBC vectors and against cbc(aes-generic) in
 * this same guest on random requests up to 64 KiB:
 *
 *   ok 1 virtio_crypto probed: 1 device (virtio0)
 *   # virtio0 on 0000:00:02.0: msix interrupt, irq 25
 *   ok 2 testmgr configured: self-tests on, extra tests on (fuzz_iterations=100)
 *   ok 3 selftest passed: virtio_crypto_aes_cbc (cbc(aes))
 *   ok 4 selftest passed: virtio-crypto-rsa (rsa)
 *   ok 5 selftest passed: virtio-pkcs1-rsa (pkcs1pad(rsa))
 *   ok 6 kernel log: no self-test failure
 *   ok 7 AF_ALG virtio_crypto_aes_cbc: SP 800-38A F.2.1/F.2.2 CBC-AES128
 *   ...
 *   ok 13 AF_ALG: 48 random requests ... equal to cbc(aes-generic)
 *   # AF_ALG: 57 requests to virtio_crypto_aes_cbc, 65 keys set
 *
 * From the kernel command line:
 *   L2_CRYPTO_DEVICES  virtio_crypto devices to wait for (1)
 *   L2_CRYPTO_RANDOM   random requests (48)
 *   L2_SEED            their seed (default: from the clock; printed)
 *   L2_WAIT_S          seconds to wait for the devices and self-tests (300)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "l2.h"
#include "../vectors/sp800_38a_cbc.h"

#define VIRTIO_CRYPTO	"/sys/bus/virtio/drivers/virtio_crypto"
#define CRYPTOMGR	"/sys/module/cryptomgr/parameters/"
#define DEV_CBC_AES	"virtio_crypto_aes_cbc"
#define SW_CBC_AES	"cbc(aes-generic)"
#define MAX_REQ		65536

/* What virtio_crypto registers (drivers/crypto/virtio/, 6.1). */
static const struct {
	const char *name, *driver;
} device_algs[] = {
	{ "cbc(aes)", DEV_CBC_AES },
	{ "rsa", "virtio-crypto-rsa" },
	{ "pkcs1pad(rsa)", "virtio-pkcs1-rsa" },
};

#define NR_DEVICE_ALGS ARRAY_SIZE(device_algs)

/* Requests and keys sent to the device, for the lab VM to compare. */
static unsigned long dev_requests, dev_keys;

/* The virtio devices virtio_crypto is bound to; their number. */
static int crypto_devices(char names[][32], int max)
{
	struct dirent *de;
	DIR *d = opendir(VIRTIO_CRYPTO);
	int n = 0;

	while (d && n < max && (de = readdir(d))) {
		if (strncmp(de->d_name, "virtio", 6) ||
		    snprintf(names[n], 32, "%s", de->d_name) >= 32)
			continue;
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* The PCI function under a virtio device, in @pci. */
static void virtio_pci_parent(const char *virtio, char *pci, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX], *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", virtio);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	slash = strrchr(link, '/');
	if (slash)
		*slash = '\0';
	snprintf(pci, size, "%s", last_part(link));
}

static int wait_for_devices(unsigned long want, unsigned long wait_s)
{
	char names[8][32], list[8 * 33] = "", pci[64];
	double deadline = uptime() + wait_s;
	int i, n;

	if (want < 1 || want > 8)
		want = 1;
	while ((n = crypto_devices(names, 8)) < (int)want && uptime() < deadline)
		pause_ms(100);
	for (i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? " " : "", names[i]);
	result(n >= (int)want, "virtio_crypto probed: %d device%s (%s)%s", n,
	       n == 1 ? "" : "s", list, n >= (int)want ? "" : " # fewer than L2_CRYPTO_DEVICES");
	for (i = 0; i < n; i++) {
		virtio_pci_parent(names[i], pci, sizeof(pci));
		show_irq(names[i], pci);
	}
	return n;
}

/*
 * testmgr's parameters exist only where it was built to run: "noextratests"
 * only with CRYPTO_MANAGER_EXTRA_TESTS, which needs DISABLE_TESTS=n, so
 * "selftest : passed" below means a test ran, not that it was skipped.
 */
static void testmgr_configured(void)
{
	char notests[8] = "", noextra[8] = "", fuzz[16] = "";
	int ok;

	read_file(CRYPTOMGR "notests", notests, sizeof(notests));
	read_file(CRYPTOMGR "noextratests", noextra, sizeof(noextra));
	read_file(CRYPTOMGR "fuzz_iterations", fuzz, sizeof(fuzz));
	fuzz[strcspn(fuzz, "\n")] = '\0';
	ok = notests[0] == 'N' && noextra[0] == 'N' && atoi(fuzz) > 0;
	result(ok, "testmgr configured: self-tests %s, extra tests %s (fuzz_iterations=%s)",
	       notests[0] == 'N' ? "on" : "off",
	       noextra[0] == 'N' ? "on" : noextra[0] ? "off" : "not built",
	       fuzz[0] ? fuzz : "?");
}

enum selftest { ST_MISSING, ST_TESTING, ST_PASSED, ST_FAILED };

/* Where the self-test of @driver stands, from /proc/crypto. */
static enum selftest selftest_of(const char *proc, const char *driver)
{
	char drv[128] = "", sel[128] = "", type[128] = "";
	bool alg = false, larval = false;
	const char *p = proc, *eol;
	char key[32], val[128];

	/* Stanzas of "key : value" lines, separated by an empty line. */
	for (; (eol = strchr(p, '\n')); p = eol + 1) {
		if (eol != p) {
			if (sscanf(p, "%31s : %127[^\n]", key, val) != 2)
				continue;
			if (!strcmp(key, "driver"))
				snprintf(drv, sizeof(drv), "%s", val);
			else if (!strcmp(key, "selftest"))
				snprintf(sel, sizeof(sel), "%s", val);
			else if (!strcmp(key, "type"))
				snprintf(type, sizeof(type), "%s", val);
			continue;
		}
		if (!strcmp(drv, driver)) {
			if (strcmp(type, "larval") && !strcmp(sel, "passed"))
				return ST_PASSED;
			larval |= !strcmp(type, "larval");
			alg |= !!strcmp(type, "larval");
		}
		drv[0] = '\0';
		sel[0] = '\0';
		type[0] = '\0';
	}
	return larval ? ST_TESTING : alg ? ST_FAILED : ST_MISSING;
}

/*
 * Each of the device's algorithms passed its self-test.  An algorithm whose
 * test is running shows as "unknown" next to its test larval; one whose test
 * failed stays "unknown" alone.
 */
static void selftests(unsigned long wait_s)
{
	static char proc[1 << 17];
	static const char *const what[] = {
		[ST_MISSING] = "not registered",
		[ST_TESTING] = "still testing",
		[ST_FAILED] = "selftest : unknown (it failed, or never ran)",
	};
	double deadline = uptime() + wait_s;
	enum selftest st[NR_DEVICE_ALGS];
	size_t i, done;

	do {
		if (read_file("/proc/crypto", proc, sizeof(proc)) < 0)
			proc[0] = '\0';
		for (i = 0, done = 0; i < NR_DEVICE_ALGS; i++) {
			st[i] = selftest_of(proc, device_algs[i].driver);
			done += st[i] == ST_PASSED || st[i] == ST_FAILED;
		}
	} while (done < NR_DEVICE_ALGS && uptime() < deadline && (pause_ms(200), 1));

	for (i = 0; i < NR_DEVICE_ALGS; i++) {
		if (st[i] == ST_PASSED)
			result(1, "selftest passed: %s (%s)", device_algs[i].driver,
			       device_algs[i].name);
		else
			result(0, "selftest passed: %s (%s) # %s", device_algs[i].driver,
			       device_algs[i].name, what[st[i]]);
	}
}

/* testmgr's "alg:" lines as diagnostics; a failure among them fails. */
static void selftest_log(void)
{
	static char log[1 << 17];
	char *line, *save, *msg;
	int failures = 0, shown = 0;

	if (read_kernel_log(log, sizeof(log)) < 0) {
		result(0, "kernel log: no self-test failure # cannot read it");
		return;
	}
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		msg = strstr(line, "alg: ");
		if (!msg)
			msg = strstr(line, "virtio_crypto");
		if (!msg)
			continue;
		if (strstr(msg, "alg: ") == msg && (strstr(msg, "failed") || strstr(msg, "error")))
			failures++;
		if (shown++ < 24)
			printf("# %s\n", msg);
	}
	result(!failures, "kernel log: no self-test failure%s", failures ? " # see above" : "");
}

static int check_equal(const __u8 *got, const __u8 *want, size_t len, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			printf("# %s: byte %zu of %zu is %02x, not %02x\n", what, i, len,
			       got[i], want[i]);
			return -1;
		}
	}
	return 0;
}

static void count(const char *driver, int keys, int requests)
{
	if (strcmp(driver, DEV_CBC_AES))
		return;
	dev_keys += keys;
	dev_requests += requests;
}

/* SP 800-38A through @driver: each key size, encrypt and decrypt. */
static void known_answers(const char *driver)
{
	__u8 out[64];
	struct alg_tfm t;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(sp800_38a_cbc); i++) {
		err = alg_open(&t, driver);
		if (!err)
			err = alg_setkey(&t, sp800_38a_cbc[i].key, sp800_38a_cbc[i].keylen);
		if (!err)
			err = alg_crypt(&t, ALG_ENCRYPT, sp800_38a_iv, sp800_38a_plain, out, 64);
		count(driver, !err, !err);
		if (!err && check_equal(out, sp800_38a_cbc[i].cipher, 64, "encrypt"))
			err = -EBADMSG;
		if (!err)
			err = alg_crypt(&t, ALG_DECRYPT, sp800_38a_iv, sp800_38a_cbc[i].cipher,
					out, 64);
		count(driver, 0, !err);
		if (!err && check_equal(out, sp800_38a_plain, 64, "decrypt"))
			err = -EBADMSG;
		alg_close(&t);
		result(!err, "AF_ALG %s: SP 800-38A %s encrypt and decrypt%s%s", driver,
		       sp800_38a_cbc[i].name, err ? " # " : "", err ? strerror(-err) : "");
	}
}

/*
 * @n random requests through the device, each compared with
 * cbc(aes-generic): random key (128, 192 or 256 bits), IV, data and length
 * (a multiple of the block, up to 64 KiB; the first three are 16 B, 4 KiB
 * and 64 KiB).  Then the device decrypts its own output back to the input.
 * (AF_ALG copies the input into the kernel and the output lands in our
 * pages, so the device sees src != dst whatever our buffers are; testmgr's
 * in-place configurations are what cover src == dst.)
 */
static void random_requests(unsigned long n, __u64 seed)
{
	static __u8 in[MAX_REQ], out[MAX_REQ], ref[MAX_REQ];
	static const size_t fixed[] = { 16, 4096, MAX_REQ };
	struct alg_tfm dev, sw;
	__u8 key[32], iv[16];
	size_t len = 0, keylen = 0, min = MAX_REQ, max = 0;
	unsigned long i;
	int err;

	l2_srand(seed);
	err = alg_open(&dev, DEV_CBC_AES);
	if (err) {
		result(0, "AF_ALG: random requests # %s: %s", DEV_CBC_AES, strerror(-err));
		return;
	}
	err = alg_open(&sw, SW_CBC_AES);
	if (err) {
		alg_close(&dev);
		result(0, "AF_ALG: random requests # %s: %s", SW_CBC_AES, strerror(-err));
		return;
	}
	for (i = 0; i < n && !err; i++) {
		len = i < 3 ? fixed[i] : 16 * (1 + l2_rand() % (MAX_REQ / 16));
		keylen = 16 + 8 * (l2_rand() % 3);
		l2_fill(key, keylen);
		l2_fill(iv, sizeof(iv));
		l2_fill(in, len);
		min = len < min ? len : min;
		max = len > max ? len : max;

		err = alg_setkey(&sw, key, keylen);
		if (!err)
			err = alg_setkey(&dev, key, keylen);
		count(DEV_CBC_AES, !err, 0);
		if (!err)
			err = alg_crypt(&sw, ALG_ENCRYPT, iv, in, ref, len);
		if (!err)
			err = alg_crypt(&dev, ALG_ENCRYPT, iv, in, out, len);
		count(DEV_CBC_AES, 0, !err);
		if (!err && check_equal(out, ref, len, "device against aes-generic"))
			err = -EBADMSG;
		if (!err)
			err = alg_crypt(&dev, ALG_DECRYPT, iv, ref, out, len);
		count(DEV_CBC_AES, 0, !err);
		if (!err && check_equal(out, in, len, "the device's decryption"))
			err = -EBADMSG;
	}
	alg_close(&dev);
	alg_close(&sw);
	if (err)
		printf("# request %lu: %zu bytes, %zu-bit key, seed %llu: %s\n", i - 1, len,
		       keylen * 8, (unsigned long long)seed, strerror(-err));
	result(!err,
	       "AF_ALG: %lu random requests (%zu B to %zu B, 128/192/256-bit keys, seed %llu): %s equal to %s, and decrypts back",
	       i, min, max, (unsigned long long)seed, DEV_CBC_AES, SW_CBC_AES);
}

void crypto_suite(void)
{
	unsigned long wait_s = env_ulong("L2_WAIT_S", 300);
	unsigned long n = env_ulong("L2_CRYPTO_RANDOM", 48);
	struct timespec now;
	__u64 seed;

	clock_gettime(CLOCK_REALTIME, &now);
	seed = env_ulong("L2_SEED", (unsigned long)now.tv_nsec ^ (unsigned long)now.tv_sec);
	if (!wait_for_devices(env_ulong("L2_CRYPTO_DEVICES", 1), wait_s)) {
		result(0, "crypto self-tests and AF_ALG # no virtio_crypto device");
		return;
	}
	testmgr_configured();
	selftests(wait_s);
	selftest_log();
	known_answers(DEV_CBC_AES);
	known_answers(SW_CBC_AES);
	random_requests(n, seed);
	printf("# AF_ALG: %lu requests to %s, %lu keys set\n", dev_requests, DEV_CBC_AES, dev_keys);
}
