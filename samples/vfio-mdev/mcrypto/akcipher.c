// SPDX-License-Identifier: GPL-2.0
/*
 * The akcipher service of a crypto mdev: RSA encrypt and decrypt, raw or
 * with PKCS#1 v1.5 padding, computed by the host's synchronous "rsa" and
 * "pkcs1pad(rsa)".  The key is the BER blob Linux's rsa_parse_pub_key()
 * and rsa_parse_priv_key() take, which is what the spec (and Linux's
 * driver) sends.  The hash of a PKCS#1 session plays no part in encrypt
 * and decrypt and is not checked.  Sign and verify are not offered (the
 * spec deprecates them; Linux 6.1's driver no longer sends them).
 */
#include <crypto/akcipher.h>
#include <linux/crypto.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "mcrypto.h"

u8 mcrypto_akcipher_create(struct mcrypto *mc, struct siov_virtio_queue *vq,
			   const struct virtio_crypto_op_ctrl_req *req,
			   struct mcrypto_session **sp)
{
	const struct virtio_crypto_akcipher_session_para *para =
		&req->u.akcipher_create_session.para;
	u32 keytype = le32_to_cpu(para->keytype);
	u32 keylen = le32_to_cpu(para->keylen);
	struct crypto_akcipher *tfm;
	struct mcrypto_session *s;
	const char *name;
	int err;

	if (le32_to_cpu(para->algo) != VIRTIO_CRYPTO_AKCIPHER_RSA)
		return VIRTIO_CRYPTO_NOTSUPP;
	switch (le32_to_cpu(para->u.rsa.padding_algo)) {
	case VIRTIO_CRYPTO_RSA_RAW_PADDING:
		name = "rsa";
		break;
	case VIRTIO_CRYPTO_RSA_PKCS1_PADDING:
		name = "pkcs1pad(rsa)";
		break;
	default:
		return VIRTIO_CRYPTO_NOTSUPP;
	}
	if ((keytype != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC &&
	     keytype != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE) ||
	    !keylen || keylen > MCRYPTO_RSA_KEY_MAX)
		return VIRTIO_CRYPTO_ERR;
	if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, mc->buf, keylen) != keylen)
		return VIRTIO_CRYPTO_ERR;

	tfm = crypto_alloc_akcipher(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm);
		goto out;
	}
	if (keytype == VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC)
		err = crypto_akcipher_set_pub_key(tfm, mc->buf, keylen);
	else
		err = crypto_akcipher_set_priv_key(tfm, mc->buf, keylen);
	/* The operands must fit the engine's buffers. */
	if (!err && crypto_akcipher_maxsize(tfm) > MCRYPTO_RSA_MAX)
		err = -EINVAL;
	if (err)
		goto free_tfm;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		err = -ENOMEM;
		goto free_tfm;
	}
	s->kind = MCRYPTO_SESSION_AKCIPHER;
	s->akcipher = tfm;
	*sp = s;
	goto out;

free_tfm:
	crypto_free_akcipher(tfm);
out:
	memzero_explicit(mc->buf, keylen);
	return err ? VIRTIO_CRYPTO_ERR : VIRTIO_CRYPTO_OK;
}

u8 mcrypto_akcipher_request(struct mcrypto *mc, struct siov_virtio_queue *vq,
			    const struct virtio_crypto_op_data_req *req,
			    size_t room, u32 *written)
{
	const struct virtio_crypto_akcipher_para *para =
		&req->u.akcipher_req.para;
	u32 src_len = le32_to_cpu(para->src_data_len);
	u32 dst_len = le32_to_cpu(para->dst_data_len);
	u8 *src = mc->buf, *dst = mc->buf + MCRYPTO_RSA_MAX;
	struct scatterlist src_sg, dst_sg;
	struct akcipher_request *areq;
	struct mcrypto_session *s;
	DECLARE_CRYPTO_WAIT(wait);
	int err;

	s = mcrypto_session_find(mc, le64_to_cpu(req->header.session_id),
				 MCRYPTO_SESSION_AKCIPHER);
	if (!s)
		return VIRTIO_CRYPTO_INVSESS;
	if (!src_len || src_len > MCRYPTO_RSA_MAX || dst_len > MCRYPTO_RSA_MAX ||
	    vringh_kiov_length(&vq->riov) < src_len || room < dst_len)
		return VIRTIO_CRYPTO_ERR;
	if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, src, src_len) != src_len)
		return VIRTIO_CRYPTO_ERR;

	areq = akcipher_request_alloc(s->akcipher, GFP_KERNEL);
	if (!areq)
		return VIRTIO_CRYPTO_ERR;
	sg_init_one(&src_sg, src, src_len);
	sg_init_one(&dst_sg, dst, dst_len);
	akcipher_request_set_callback(areq, CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	akcipher_request_set_crypt(areq, &src_sg, &dst_sg, src_len, dst_len);
	if (le32_to_cpu(req->header.opcode) == VIRTIO_CRYPTO_AKCIPHER_ENCRYPT)
		err = crypto_akcipher_encrypt(areq);
	else
		err = crypto_akcipher_decrypt(areq);
	err = crypto_wait_req(err, &wait);
	if (!err) {
		if (vringh_iov_push_ops(&vq->vrh, &vq->wiov, dst,
					areq->dst_len) == areq->dst_len)
			*written = areq->dst_len;
		else
			err = -EFAULT;
	}
	akcipher_request_free(areq);
	if (err == -EBADMSG)
		return VIRTIO_CRYPTO_BADMSG;
	return err ? VIRTIO_CRYPTO_ERR : VIRTIO_CRYPTO_OK;
}
