/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The L2 guest's /init (tests/l2guest/): what its suites share.  init.c is
 * PID 1 and the TAP report; each suite tests what a stock 6.1 driver makes
 * of one kind of mdev:
 *   dmatest.c       plx_dma and the kernel's dmatest (mdma mdevs)
 *   crypto_suite.c   virtio_crypto, the kernel's crypto self-tests and an
 *                   AF_ALG client against cbc(aes-generic) (mcrypto mdevs)
 *   crypto_bench.c  AF_ALG throughput and re-key rate, as diagnostics
 *   net_suite.c     virtio_net and TCP streams with the lab VM (mnet mdevs)
 *   af_alg.c        the AF_ALG skcipher client both crypto suites use
 */
#ifndef L2_H
#define L2_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* "NAME=value" of the kernel command line, as a number; @def when unset. */
unsigned long env_ulong(const char *name, unsigned long def);
/* The next TAP result, "ok N @what" or "not ok N @what". */
void tap_result(int ok, const char *what);
/* tap_result() of a printf format (which the compiler checks). */
#define result(ok, ...)						\
	do {							\
		char __what[1024];				\
								\
		snprintf(__what, sizeof(__what), __VA_ARGS__);	\
		tap_result(ok, __what);				\
	} while (0)
/* Guest uptime in seconds (CLOCK_BOOTTIME). */
double uptime(void);
void pause_ms(long ms);
const char *last_part(const char *path);
/* Write @val to the file @path; 0, or -1 with a diagnostic printed. */
int write_file(const char *path, const char *val);
/* A file's contents, NUL-terminated and truncated to @size - 1; length or -1. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* The kernel log (syslog(2) READ_ALL), NUL-terminated; its length or -1. */
int read_kernel_log(char *buf, int size);
/* MSI-X, MSI or INTx of the PCI device @pci, as a diagnostic about @what. */
void show_irq(const char *what, const char *pci);

/* The suites, each run when L2_TESTS names it (init.c). */
void dmatest_suite(void);
void crypto_suite(void);
void crypto_bench(void);
void net_suite(void);

/* af_alg.c: an skcipher transform of the kernel, named by driver or algorithm. */
struct alg_tfm {
	int tfm;	/* the bound AF_ALG socket, which holds the key */
	int op;		/* the accepted operation socket, or -1 */
};

#define ALG_ENCRYPT	1
#define ALG_DECRYPT	0

/* Bind @tfm to the skcipher @name; 0 or -errno. */
int alg_open(struct alg_tfm *tfm, const char *name);
/* Set the key (closes the operation socket: AF_ALG keys only an idle tfm). */
int alg_setkey(struct alg_tfm *tfm, const void *key, size_t len);
/* One request of @len bytes, @in to @out (which may be equal); 0 or -errno. */
int alg_crypt(struct alg_tfm *tfm, int enc, const __u8 iv[16],
	      const void *in, void *out, size_t len);
void alg_close(struct alg_tfm *tfm);

/* A reproducible pseudo-random stream (xorshift64*), seeded by the caller. */
__u64 l2_rand(void);
void l2_srand(__u64 seed);
void l2_fill(void *buf, size_t len);

#endif /* L2_H */
