// SPDX-License-Identifier: GPL-2.0
/*
 * The data queue of a crypto mdev: cipher and akcipher requests.
 *
 * A request is the 72-byte struct virtio_crypto_op_data_req, then the
 * algorithm's input (cipher: the IV and the source; akcipher: the source)
 * in the readable buffers; the writable ones take the output from their
 * start and the status in their last byte, as Linux's driver lays them
 * out (one status descriptor at the end).  The lengths in the header, not
 * the buffers' sizes, say how much is read and written; a header asking
 * for more than the buffers hold gets VIRTIO_CRYPTO_ERR and nothing is
 * written but the status.  The used length is the output's bytes and the
 * status byte: Linux's akcipher path takes the output length from it.
 *
 * A request whose buffers a DMA fault cuts short (an IOVA the container
 * does not map) gets VIRTIO_CRYPTO_ERR, and the fault is counted: the
 * guest's buffers are its own business, so the queue goes on.
 */
#include "mcrypto.h"

/**
 * mcrypto_data_request() - serve one data request
 * @mc: the device
 * @vq: the data queue, with the request in vq->riov and vq->wiov
 *
 * Context: the engine (ops->queue_run()).
 *
 * Return: the bytes written into its writable buffers.
 */
u32 mcrypto_data_request(struct mcrypto *mc, struct siov_virtio_queue *vq)
{
	size_t room = vringh_kiov_length(&vq->wiov);
	struct virtio_crypto_op_data_req req;
	u8 status = VIRTIO_CRYPTO_ERR;
	u32 written = 0;
	ssize_t n;

	/* No room for the status: nothing can be answered. */
	if (!room)
		return 0;
	n = vringh_iov_pull_ops(&vq->vrh, &vq->riov, &req, sizeof(req));
	if (n == sizeof(req)) {
		switch (le32_to_cpu(req.header.opcode)) {
		case VIRTIO_CRYPTO_CIPHER_ENCRYPT:
		case VIRTIO_CRYPTO_CIPHER_DECRYPT:
			status = mcrypto_cipher_request(mc, vq, &req, room - 1,
							&written);
			break;
		case VIRTIO_CRYPTO_AKCIPHER_ENCRYPT:
		case VIRTIO_CRYPTO_AKCIPHER_DECRYPT:
			status = mcrypto_akcipher_request(mc, vq, &req, room - 1,
							  &written);
			break;
		default:
			status = VIRTIO_CRYPTO_NOTSUPP;
			break;
		}
	}
	if (status == VIRTIO_CRYPTO_OK)
		mc->stats.requests++;
	else
		mc->stats.errors++;

	/* The status goes in the last writable byte, whatever was written. */
	vringh_kiov_advance(&vq->wiov, vringh_kiov_length(&vq->wiov) - 1);
	n = vringh_iov_push_ops(&vq->vrh, &vq->wiov, &status, 1);
	return n == 1 ? written + 1 : written;
}
