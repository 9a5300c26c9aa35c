// SPDX-License-Identifier: GPL-2.0
/*
 * The L2 guest's crypto benchmark (L2_TESTS=cryptobench, run by make
 * bench): AF_ALG cbc(aes) encryption throughput of each named driver at
 * each request size, and how fast a key can be set (virtio_crypto creates
 * an encrypt and a decrypt session for each key and destroys the previous
 * two), as diagnostics the lab VM collects (scripts/guest/bench):
 *
 *   # bench: cbc-aes virtio_crypto_aes_cbc 4096 B: 812 requests in 2.001 s
 *   # bench: setkey virtio_crypto_aes_cbc: 301 in 2.004 s
 *   ok 1 bench virtio_crypto_aes_cbc
 *
 * Each figure is for one request at a time: a VM's process waiting for each
 * answer, as AF_ALG's read() does.  From the kernel command line:
 *   L2_BENCH_ALGS   drivers or algorithm names, comma-separated
 *                   (virtio_crypto_aes_cbc,cbc(aes-generic))
 *   L2_BENCH_SIZES  request sizes in bytes (16,4096,65536; at most 65536)
 *   L2_BENCH_MS     milliseconds per figure (2000)
 *   L2_TSC_KHZ      the TSC's rate, to time by it (else the guest's clock)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "l2.h"

#define MAX_REQ	65536

/*
 * The guest's own clock runs slow (no ACPI: jiffies, and ticks are late
 * under TCG inside TCG), but its TSC is the host's, at a constant rate
 * that the lab VM measured and passes as L2_TSC_KHZ.  Without it, the
 * guest's clock.
 */
static unsigned long tsc_khz;

static double now(void)
{
	struct timespec ts;

	if (tsc_khz)
		return __builtin_ia32_rdtsc() / (tsc_khz * 1e3);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Requests of @len bytes, one at a time, for @secs; 0 or -errno. */
static int bench_size(struct alg_tfm *t, const char *alg, size_t len, double secs)
{
	static __u8 in[MAX_REQ], out[MAX_REQ];
	__u8 iv[16] = { 0 };
	unsigned long n = 0;
	double start = now(), el;
	int err = 0;

	l2_fill(in, len);
	do {
		err = alg_crypt(t, ALG_ENCRYPT, iv, in, out, len);
		n += !err;
	} while (!err && (el = now() - start) < secs);
	el = now() - start;
	if (err)
		printf("# bench: cbc-aes %s %zu B: %s\n", alg, len, strerror(-err));
	else
		printf("# bench: cbc-aes %s %zu B: %lu requests in %.3f s (%.0f/s, %.2f MB/s)\n",
		       alg, len, n, el, n / el, n * len / el / 1e6);
	return err;
}

/* Keys set for @secs (the operation socket closed each time); 0 or -errno. */
static int bench_setkey(struct alg_tfm *t, const char *alg, double secs)
{
	__u8 key[16];
	unsigned long n = 0;
	double start = now(), el;
	int err;

	do {
		l2_fill(key, sizeof(key));
		err = alg_setkey(t, key, sizeof(key));
		n += !err;
	} while (!err && now() - start < secs);
	el = now() - start;
	if (err)
		printf("# bench: setkey %s: %s\n", alg, strerror(-err));
	else
		printf("# bench: setkey %s: %lu in %.3f s (%.0f/s)\n", alg, n, el, n / el);
	return err;
}

void crypto_bench(void)
{
	const char *algs = getenv("L2_BENCH_ALGS");
	const char *sizes = getenv("L2_BENCH_SIZES");
	double secs = env_ulong("L2_BENCH_MS", 2000) / 1000.0;
	char alist[256], slist[128], clock[32], *alg, *size, *asave, *ssave, *end;
	__u8 key[16];
	struct alg_tfm t;
	unsigned long len;
	int err;

	snprintf(alist, sizeof(alist), "%s",
		 algs && *algs ? algs : "virtio_crypto_aes_cbc,cbc(aes-generic)");
	tsc_khz = env_ulong("L2_TSC_KHZ", 0);
	if (read_file("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      clock, sizeof(clock)) < 0)
		snprintf(clock, sizeof(clock), "unknown");
	clock[strcspn(clock, "\n")] = '\0';
	if (tsc_khz)
		printf("# bench: %.1f s per figure, timed by the TSC at %lu kHz\n", secs, tsc_khz);
	else
		printf("# bench: %.1f s per figure, guest clock (clocksource %s)\n", secs, clock);
	l2_srand(1);
	for (alg = strtok_r(alist, ",", &asave); alg; alg = strtok_r(NULL, ",", &asave)) {
		err = alg_open(&t, alg);
		if (!err) {
			l2_fill(key, sizeof(key));
			err = alg_setkey(&t, key, sizeof(key));
		}
		snprintf(slist, sizeof(slist), "%s", sizes && *sizes ? sizes : "16,4096,65536");
		for (size = strtok_r(slist, ",", &ssave); size && !err;
		     size = strtok_r(NULL, ",", &ssave)) {
			len = strtoul(size, &end, 0);
			if (*end || !len || len > MAX_REQ || len % 16) {
				printf("# bench: size %s is not a multiple of 16 up to %d\n",
				       size, MAX_REQ);
				err = -EINVAL;
				break;
			}
			err = bench_size(&t, alg, len, secs);
		}
		if (!err)
			err = bench_setkey(&t, alg, secs);
		if (t.tfm >= 0)
			alg_close(&t);
		result(!err, "bench %s%s%s", alg, err ? " # " : "", err ? strerror(-err) : "");
	}
}
