/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcrypto: a virtio-crypto device (1af4:1054) on the virtio layer of the
 * sample core, which a guest drives with Linux's stock virtio_crypto
 * driver.  The "hardware" engine computes with the host's crypto API and
 * reaches the guest's buffers only through the mdev's PASID.
 *
 * Files, in the order a request flows through them: main.c (the device:
 * config, queues, types, probe), ctrlq.c (control requests: sessions),
 * session.c (the per-mdev session table), dataq.c (data requests: the
 * header, the status), cipher.c (AES-CBC), akcipher.c (RSA).
 */
#ifndef MCRYPTO_H
#define MCRYPTO_H

#include <linux/sizes.h>
#include <uapi/linux/virtio_crypto.h>

#include "../siov_virtio.h"

#define MCRYPTO_DATAQ		0
#define MCRYPTO_CTRLQ		1
#define MCRYPTO_NR_QUEUES	2

/* Sessions an mdev may hold for each engine queue its type gives it. */
#define MCRYPTO_SESSIONS_PER_QUEUE	64
/* The config's max_size: IV, source and destination of one request. */
#define MCRYPTO_MAX_SIZE	SZ_1M
/* The bytes the engine computes on at a time (its bounce buffer). */
#define MCRYPTO_CHUNK		SZ_16K
/* The config's max_cipher_key_len: AES-256. */
#define MCRYPTO_CIPHER_KEY_MAX	32
/* The longest RSA key (its BER blob) and operand: 4096-bit keys. */
#define MCRYPTO_RSA_KEY_MAX	SZ_4K
#define MCRYPTO_RSA_MAX		512

/* The sizes of the fixed-format requests (no VIRTIO_CRYPTO_F_REVISION_1). */
#define MCRYPTO_CTRL_REQ_LEN	sizeof(struct virtio_crypto_op_ctrl_req)
#define MCRYPTO_DATA_REQ_LEN	sizeof(struct virtio_crypto_op_data_req)

enum mcrypto_session_kind {
	MCRYPTO_SESSION_CIPHER,
	MCRYPTO_SESSION_AKCIPHER,
};

/**
 * struct mcrypto_session - a session the driver created
 * @id: its ID: the generation it was made in (high 32 bits) and its slot
 * @kind: cipher or akcipher
 * @op: for a cipher session, VIRTIO_CRYPTO_OP_ENCRYPT or _DECRYPT
 * @skcipher: a cipher session's transform, keyed
 * @akcipher: an akcipher session's transform, keyed
 */
struct mcrypto_session {
	u64 id;
	enum mcrypto_session_kind kind;
	u32 op;
	union {
		struct crypto_sync_skcipher *skcipher;
		struct crypto_akcipher *akcipher;
	};
};

/**
 * struct mcrypto_stats - per-mdev counters, in the mdev's debugfs directory
 * @sessions: sessions created
 * @requests: data requests completed with VIRTIO_CRYPTO_OK
 * @errors: requests (control or data) completed with another status
 *
 * Written by the engine only, one batch at a time.
 */
struct mcrypto_stats {
	u64 sessions;
	u64 requests;
	u64 errors;
};

/**
 * struct mcrypto - one crypto mdev
 * @vdev: the virtio device (first)
 * @sessions: the session table, @nr_slots entries
 * @nr_slots: its size, from the mdev's share of the engine's queues
 * @nr_sessions: the sessions in it
 * @generation: counts session creations, for IDs that are not reused
 * @buf: the engine's bounce buffer, MCRYPTO_CHUNK bytes
 * @stats: counters
 *
 * Only the engine (ops->queue_run()) touches the table and the buffer,
 * and the reset and release paths, which run with the engine stopped.
 */
struct mcrypto {
	struct siov_virtio vdev;
	struct mcrypto_session **sessions;
	unsigned int nr_slots;
	unsigned int nr_sessions;
	u32 generation;
	u8 *buf;
	struct mcrypto_stats stats;
};

static inline struct mcrypto *to_mcrypto(struct siov_virtio *vdev)
{
	return container_of(vdev, struct mcrypto, vdev);
}

/* The session table (session.c) */
int mcrypto_sessions_init(struct mcrypto *mc, unsigned int nr_slots);
void mcrypto_sessions_release(struct mcrypto *mc);
void mcrypto_sessions_reset(struct mcrypto *mc);
u8 mcrypto_session_add(struct mcrypto *mc, struct mcrypto_session *s);
struct mcrypto_session *mcrypto_session_find(struct mcrypto *mc, u64 id,
					     enum mcrypto_session_kind kind);
u8 mcrypto_session_destroy(struct mcrypto *mc, u64 id,
			   enum mcrypto_session_kind kind);
void mcrypto_session_free(struct mcrypto_session *s);

/* The requests of the queues (ctrlq.c, dataq.c) */
u32 mcrypto_ctrl_request(struct mcrypto *mc, struct siov_virtio_queue *vq);
u32 mcrypto_data_request(struct mcrypto *mc, struct siov_virtio_queue *vq);

/* The algorithms (cipher.c, akcipher.c) */
u8 mcrypto_cipher_create(struct mcrypto *mc, struct siov_virtio_queue *vq,
			 const struct virtio_crypto_op_ctrl_req *req,
			 struct mcrypto_session **sp);
u8 mcrypto_cipher_request(struct mcrypto *mc, struct siov_virtio_queue *vq,
			  const struct virtio_crypto_op_data_req *req,
			  size_t room, u32 *written);
u8 mcrypto_akcipher_create(struct mcrypto *mc, struct siov_virtio_queue *vq,
			   const struct virtio_crypto_op_ctrl_req *req,
			   struct mcrypto_session **sp);
u8 mcrypto_akcipher_request(struct mcrypto *mc, struct siov_virtio_queue *vq,
			    const struct virtio_crypto_op_data_req *req,
			    size_t room, u32 *written);

#endif /* MCRYPTO_H */
