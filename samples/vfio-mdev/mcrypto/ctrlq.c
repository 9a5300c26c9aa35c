// SPDX-License-Identifier: GPL-2.0
/*
 * The control queue of a crypto mdev: session create and destroy.
 *
 * A request is the 72-byte struct virtio_crypto_op_ctrl_req, then (for a
 * create) the key, in the readable buffers; the answer goes in the
 * writable ones: a create gets a struct virtio_crypto_session_input (the
 * ID and a le32 status, 16 bytes), a destroy one status byte.
 *
 * Linux's driver waits for every control request without a timeout
 * (drivers/crypto/virtio/virtio_crypto_core.c), so every request the ring
 * hands over is completed, malformed ones too: with VIRTIO_CRYPTO_ERR, or
 * VIRTIO_CRYPTO_NOTSUPP for a service or algorithm the device does not
 * have.  A request whose opcode says nothing of its answer gets the
 * 16-byte form if it left room for it, else the byte.  A create whose
 * answer cannot be written leaves no session behind.
 */
#include <linux/slab.h>

#include "mcrypto.h"

#define MCRYPTO_SESSION_INPUT_LEN	sizeof(struct virtio_crypto_session_input)

static bool mcrypto_ctrl_is_create(u32 opcode)
{
	switch (opcode) {
	case VIRTIO_CRYPTO_CIPHER_CREATE_SESSION:
	case VIRTIO_CRYPTO_HASH_CREATE_SESSION:
	case VIRTIO_CRYPTO_MAC_CREATE_SESSION:
	case VIRTIO_CRYPTO_AEAD_CREATE_SESSION:
	case VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION:
		return true;
	}
	return false;
}

static bool mcrypto_ctrl_is_destroy(u32 opcode)
{
	switch (opcode) {
	case VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION:
	case VIRTIO_CRYPTO_HASH_DESTROY_SESSION:
	case VIRTIO_CRYPTO_MAC_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AEAD_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION:
		return true;
	}
	return false;
}

/* A create: the algorithm's own checks and transform, then a slot. */
static u8 mcrypto_ctrl_create(struct mcrypto *mc, struct siov_virtio_queue *vq,
			      const struct virtio_crypto_op_ctrl_req *req,
			      u32 opcode, struct mcrypto_session **sp)
{
	struct mcrypto_session *s = NULL;
	u8 status;

	if (opcode == VIRTIO_CRYPTO_CIPHER_CREATE_SESSION)
		status = mcrypto_cipher_create(mc, vq, req, &s);
	else if (opcode == VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION)
		status = mcrypto_akcipher_create(mc, vq, req, &s);
	else
		status = VIRTIO_CRYPTO_NOTSUPP;
	if (status != VIRTIO_CRYPTO_OK)
		return status;
	status = mcrypto_session_add(mc, s);
	if (status != VIRTIO_CRYPTO_OK) {
		mcrypto_session_free(s);
		return status;
	}
	*sp = s;
	return VIRTIO_CRYPTO_OK;
}

static u8 mcrypto_ctrl_destroy(struct mcrypto *mc,
			       const struct virtio_crypto_op_ctrl_req *req,
			       u32 opcode)
{
	u64 id = le64_to_cpu(req->u.destroy_session.session_id);

	if (opcode == VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION)
		return mcrypto_session_destroy(mc, id, MCRYPTO_SESSION_CIPHER);
	if (opcode == VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION)
		return mcrypto_session_destroy(mc, id, MCRYPTO_SESSION_AKCIPHER);
	return VIRTIO_CRYPTO_NOTSUPP;
}

/**
 * mcrypto_ctrl_request() - serve one control request
 * @mc: the device
 * @vq: the control queue, with the request in vq->riov and vq->wiov
 *
 * Context: the engine (ops->queue_run()).
 *
 * Return: the bytes written into its writable buffers.
 */
u32 mcrypto_ctrl_request(struct mcrypto *mc, struct siov_virtio_queue *vq)
{
	size_t room = vringh_kiov_length(&vq->wiov);
	struct virtio_crypto_session_input input = {};
	struct mcrypto_session *created = NULL;
	struct virtio_crypto_op_ctrl_req req;
	bool long_answer;
	u8 status;
	u32 opcode = 0;
	ssize_t n;

	n = vringh_iov_pull_ops(&vq->vrh, &vq->riov, &req, sizeof(req));
	if (n == sizeof(req))
		opcode = le32_to_cpu(req.header.opcode);
	if (mcrypto_ctrl_is_create(opcode))
		long_answer = true;
	else if (mcrypto_ctrl_is_destroy(opcode))
		long_answer = false;
	else
		long_answer = room >= MCRYPTO_SESSION_INPUT_LEN;

	if (n != sizeof(req) || (long_answer && room < MCRYPTO_SESSION_INPUT_LEN))
		status = VIRTIO_CRYPTO_ERR;
	else if (mcrypto_ctrl_is_create(opcode))
		status = mcrypto_ctrl_create(mc, vq, &req, opcode, &created);
	else if (mcrypto_ctrl_is_destroy(opcode))
		status = mcrypto_ctrl_destroy(mc, &req, opcode);
	else
		status = VIRTIO_CRYPTO_NOTSUPP;
	if (status != VIRTIO_CRYPTO_OK)
		mc->stats.errors++;

	if (long_answer) {
		if (room < MCRYPTO_SESSION_INPUT_LEN)
			return 0;
		if (created)
			input.session_id = cpu_to_le64(created->id);
		input.status = cpu_to_le32(status);
		n = vringh_iov_push_ops(&vq->vrh, &vq->wiov, &input,
					sizeof(input));
		if (n == sizeof(input))
			return n;
		/* The driver never learns the ID: the session goes again. */
		if (created)
			mcrypto_session_destroy(mc, created->id, created->kind);
		return 0;
	}
	if (!room)
		return 0;
	n = vringh_iov_push_ops(&vq->vrh, &vq->wiov, &status, 1);
	return n == 1 ? 1 : 0;
}
