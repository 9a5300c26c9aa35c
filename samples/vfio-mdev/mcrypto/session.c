// SPDX-License-Identifier: GPL-2.0
/*
 * The session table of a crypto mdev: a fixed number of slots, from the
 * mdev's share of the parent's engine queues (MCRYPTO_SESSIONS_PER_QUEUE
 * each), so that what a guest can make the host allocate is bounded by
 * the type an admin gave it.  A session ID carries the slot and the
 * generation the session was made in, so the ID of a destroyed session
 * stays unknown when its slot is used again.
 */
#include <crypto/akcipher.h>
#include <crypto/skcipher.h>
#include <linux/slab.h>

#include "mcrypto.h"

int mcrypto_sessions_init(struct mcrypto *mc, unsigned int nr_slots)
{
	mc->sessions = kcalloc(nr_slots, sizeof(*mc->sessions), GFP_KERNEL);
	if (!mc->sessions)
		return -ENOMEM;
	mc->nr_slots = nr_slots;
	return 0;
}

void mcrypto_session_free(struct mcrypto_session *s)
{
	if (s->kind == MCRYPTO_SESSION_CIPHER)
		crypto_free_sync_skcipher(s->skcipher);
	else
		crypto_free_akcipher(s->akcipher);
	kfree(s);
}

/* Every session goes (a device reset); the engine is stopped. */
void mcrypto_sessions_reset(struct mcrypto *mc)
{
	unsigned int i;

	for (i = 0; i < mc->nr_slots; i++) {
		if (!mc->sessions[i])
			continue;
		mcrypto_session_free(mc->sessions[i]);
		mc->sessions[i] = NULL;
	}
	mc->nr_sessions = 0;
}

void mcrypto_sessions_release(struct mcrypto *mc)
{
	mcrypto_sessions_reset(mc);
	kfree(mc->sessions);
}

/*
 * Give @s a slot and an ID.  A full table answers VIRTIO_CRYPTO_ERR: NOSPC
 * is for devices that negotiated VIRTIO_CRYPTO_F_REVISION_1.
 */
u8 mcrypto_session_add(struct mcrypto *mc, struct mcrypto_session *s)
{
	unsigned int i;

	if (mc->nr_sessions == mc->nr_slots)
		return VIRTIO_CRYPTO_ERR;
	for (i = 0; mc->sessions[i]; i++)
		;
	mc->generation++;
	s->id = (u64)mc->generation << 32 | i;
	mc->sessions[i] = s;
	mc->nr_sessions++;
	mc->stats.sessions++;
	return VIRTIO_CRYPTO_OK;
}

struct mcrypto_session *mcrypto_session_find(struct mcrypto *mc, u64 id,
					     enum mcrypto_session_kind kind)
{
	u32 slot = lower_32_bits(id);
	struct mcrypto_session *s;

	if (slot >= mc->nr_slots)
		return NULL;
	s = mc->sessions[slot];
	return s && s->id == id && s->kind == kind ? s : NULL;
}

u8 mcrypto_session_destroy(struct mcrypto *mc, u64 id,
			   enum mcrypto_session_kind kind)
{
	struct mcrypto_session *s = mcrypto_session_find(mc, id, kind);

	if (!s)
		return VIRTIO_CRYPTO_ERR;
	mc->sessions[lower_32_bits(id)] = NULL;
	mc->nr_sessions--;
	mcrypto_session_free(s);
	return VIRTIO_CRYPTO_OK;
}
