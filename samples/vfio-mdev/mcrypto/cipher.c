// SPDX-License-Identifier: GPL-2.0
/*
 * The cipher service of a crypto mdev: AES-CBC with 128, 192 and 256-bit
 * keys, computed by the host's synchronous "cbc(aes)" (AES-NI or the
 * generic code, whichever the host has).
 *
 * A session is one direction and one key: Linux's driver makes an encrypt
 * and a decrypt session for each key.  A request is computed in chunks of
 * the engine's bounce buffer: read a chunk of the source, compute it (the
 * transform carries the chaining IV from chunk to chunk), write it to the
 * destination.  A chunk is read before it is written over, so in-place
 * requests (the same guest pages readable and writable) work.
 */
#include <crypto/aes.h>
#include <crypto/skcipher.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "mcrypto.h"

u8 mcrypto_cipher_create(struct mcrypto *mc, struct siov_virtio_queue *vq,
			 const struct virtio_crypto_op_ctrl_req *req,
			 struct mcrypto_session **sp)
{
	const struct virtio_crypto_sym_create_session_req *sym =
		&req->u.sym_create_session;
	const struct virtio_crypto_cipher_session_para *para =
		&sym->u.cipher.para;
	u32 keylen = le32_to_cpu(para->keylen);
	u32 op = le32_to_cpu(para->op);
	struct crypto_sync_skcipher *tfm;
	u8 key[MCRYPTO_CIPHER_KEY_MAX];
	struct mcrypto_session *s;
	int err;

	/* Chained cipher and hash sessions are not offered. */
	if (le32_to_cpu(sym->op_type) != VIRTIO_CRYPTO_SYM_OP_CIPHER ||
	    le32_to_cpu(para->algo) != VIRTIO_CRYPTO_CIPHER_AES_CBC)
		return VIRTIO_CRYPTO_NOTSUPP;
	if ((op != VIRTIO_CRYPTO_OP_ENCRYPT && op != VIRTIO_CRYPTO_OP_DECRYPT) ||
	    keylen > sizeof(key))
		return VIRTIO_CRYPTO_ERR;
	if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, key, keylen) != keylen)
		return VIRTIO_CRYPTO_ERR;

	tfm = crypto_alloc_sync_skcipher("cbc(aes)", 0, 0);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm);
		goto out;
	}
	err = crypto_sync_skcipher_setkey(tfm, key, keylen);
	if (err)
		goto free_tfm;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		err = -ENOMEM;
		goto free_tfm;
	}
	s->kind = MCRYPTO_SESSION_CIPHER;
	s->op = op;
	s->skcipher = tfm;
	*sp = s;
	goto out;

free_tfm:
	crypto_free_sync_skcipher(tfm);
out:
	memzero_explicit(key, sizeof(key));
	return err ? VIRTIO_CRYPTO_ERR : VIRTIO_CRYPTO_OK;
}

u8 mcrypto_cipher_request(struct mcrypto *mc, struct siov_virtio_queue *vq,
			  const struct virtio_crypto_op_data_req *req,
			  size_t room, u32 *written)
{
	const struct virtio_crypto_cipher_para *para =
		&req->u.sym_req.u.cipher.para;
	u32 op = le32_to_cpu(req->header.opcode) == VIRTIO_CRYPTO_CIPHER_ENCRYPT ?
		 VIRTIO_CRYPTO_OP_ENCRYPT : VIRTIO_CRYPTO_OP_DECRYPT;
	u32 iv_len = le32_to_cpu(para->iv_len);
	u32 src_len = le32_to_cpu(para->src_data_len);
	u32 dst_len = le32_to_cpu(para->dst_data_len);
	struct mcrypto_session *s;
	struct scatterlist sg;
	u8 iv[AES_BLOCK_SIZE];
	u32 done, n;
	int err = 0;

	s = mcrypto_session_find(mc, le64_to_cpu(req->header.session_id),
				 MCRYPTO_SESSION_CIPHER);
	if (!s || s->op != op)
		return VIRTIO_CRYPTO_INVSESS;
	if (le32_to_cpu(req->u.sym_req.op_type) != VIRTIO_CRYPTO_SYM_OP_CIPHER)
		return VIRTIO_CRYPTO_NOTSUPP;
	if (iv_len != AES_BLOCK_SIZE || src_len != dst_len ||
	    !IS_ALIGNED(src_len, AES_BLOCK_SIZE) ||
	    (u64)iv_len + src_len + dst_len > MCRYPTO_MAX_SIZE ||
	    vringh_kiov_length(&vq->riov) < (u64)iv_len + src_len ||
	    room < dst_len)
		return VIRTIO_CRYPTO_ERR;
	if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, iv, iv_len) != iv_len)
		return VIRTIO_CRYPTO_ERR;

	for (done = 0; done < src_len && !err; done += n) {
		SYNC_SKCIPHER_REQUEST_ON_STACK(sreq, s->skcipher);

		n = min_t(u32, src_len - done, MCRYPTO_CHUNK);
		if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, mc->buf, n) != n)
			return VIRTIO_CRYPTO_ERR;
		sg_init_one(&sg, mc->buf, n);
		skcipher_request_set_sync_tfm(sreq, s->skcipher);
		skcipher_request_set_callback(sreq, 0, NULL, NULL);
		skcipher_request_set_crypt(sreq, &sg, &sg, n, iv);
		if (op == VIRTIO_CRYPTO_OP_ENCRYPT)
			err = crypto_skcipher_encrypt(sreq);
		else
			err = crypto_skcipher_decrypt(sreq);
		skcipher_request_zero(sreq);
		if (!err && vringh_iov_push_ops(&vq->vrh, &vq->wiov, mc->buf, n) != n)
			err = -EFAULT;
		if (!err)
			*written += n;
		cond_resched();
	}
	return err ? VIRTIO_CRYPTO_ERR : VIRTIO_CRYPTO_OK;
}
