// SPDX-License-Identifier: GPL-2.0
/*
 * An AF_ALG skcipher client (Documentation/crypto/userspace-if.rst): what a
 * userspace program does to use the kernel's cbc(aes), here named by the
 * driver so that the device, not AES-NI or aes-generic, does the work.  The
 * bound socket holds the transform and its key; an accepted socket carries
 * requests: sendmsg() with the operation and the IV in control messages and
 * the input as data, then read() of the output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/if_alg.h>

#include "l2.h"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

int alg_open(struct alg_tfm *t, const char *name)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "skcipher" };

	t->op = -1;
	t->tfm = -1;
	if (strlen(name) >= sizeof(sa.salg_name))
		return -ENAMETOOLONG;
	strcpy((char *)sa.salg_name, name);
	t->tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (t->tfm < 0)
		return -errno;
	if (bind(t->tfm, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(t->tfm);
		t->tfm = -1;
		return err;
	}
	return 0;
}

int alg_setkey(struct alg_tfm *t, const void *key, size_t len)
{
	if (t->op >= 0) {
		close(t->op);
		t->op = -1;
	}
	return setsockopt(t->tfm, SOL_ALG, ALG_SET_KEY, key, len) ? -errno : 0;
}

int alg_crypt(struct alg_tfm *t, int enc, const __u8 iv[16],
	      const void *in, void *out, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(__u32)) +
		  CMSG_SPACE(sizeof(struct af_alg_iv) + 16)] = { 0 };
	struct iovec iov = { .iov_base = (void *)in, .iov_len = len };
	struct msghdr msg = {
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct af_alg_iv *aiv;
	struct cmsghdr *c;
	size_t done = 0;
	ssize_t n;

	if (t->op < 0) {
		t->op = accept(t->tfm, NULL, 0);
		if (t->op < 0)
			return -errno;
	}
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(sizeof(__u32));
	*(__u32 *)CMSG_DATA(c) = enc ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(sizeof(*aiv) + 16);
	aiv = (struct af_alg_iv *)CMSG_DATA(c);
	aiv->ivlen = 16;
	memcpy(aiv->iv, iv, 16);

	n = sendmsg(t->op, &msg, 0);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;
	while (done < len) {
		n = read(t->op, (__u8 *)out + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		done += n;
	}
	return 0;
}

void alg_close(struct alg_tfm *t)
{
	if (t->op >= 0)
		close(t->op);
	if (t->tfm >= 0)
		close(t->tfm);
	t->op = -1;
	t->tfm = -1;
}
