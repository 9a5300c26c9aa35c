// SPDX-License-Identifier: GPL-2.0
/*
 * The engine of an open mdev (see "Engine worker" in siov_mdev.h).
 *
 * One kthread_worker per open device, created in open_device(), which runs
 * in the process that opens the device (the VMM), and attached to that
 * process's cgroups as vhost attaches its worker (cgroup_attach_task_all()).
 * A batch is one kthread_work; the worker yields between works, and a
 * batch that wants more queues itself again at the tail.
 *
 * The first batch after a doorbell runs in the thread that wrote it, once
 * its region write is done and the mdev lock dropped: that thread is the
 * VMM's too, so the work is charged to the same VM, and a short burst of
 * descriptors completes without waking the worker, which the scheduler is
 * free to place on another CPU (two cross-CPU wakeups per burst: one to the
 * worker, one back for the interrupt).  @run_lock makes the batches of the
 * worker and of doorbell writers one at a time, as ops->engine_run()
 * expects.
 *
 * @enabled is the gate: written under the mdev lock, read anywhere.  It is
 * set only while the worker exists, the context is programmed and Bus
 * Master Enable is set.  Stopping clears it first, so neither a kick nor
 * a batch's own requeue can start new work, then waits for the batch in
 * flight (@run_lock) and cancels the queued one (kthread_cancel_work_sync()
 * also refuses a requeue while it runs).
 */
#include <linux/cgroup.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "core.h"
#include "trace.h"

/**
 * siov_mdev_engine_stopping() - should the engine stop now
 * @smdev: the mdev
 *
 * For ops->engine_run(), between descriptors and between the chunks of a
 * long one: true once the engine is being stopped (quiesce, reset, close,
 * Bus Master Enable cleared).
 *
 * Context: any.
 *
 * Return: true if the engine must return.
 */
bool siov_mdev_engine_stopping(struct siov_mdev *smdev)
{
	return !READ_ONCE(smdev->engine.enabled);
}
EXPORT_SYMBOL_GPL(siov_mdev_engine_stopping);

/**
 * siov_mdev_engine_kick() - run the engine: a doorbell was written
 * @smdev: the mdev
 *
 * Marks the engine kicked.  When the region write that kicked it is done
 * and the mdev lock dropped, the core runs one batch in the writer's
 * thread, or, while the worker is in a batch, queues the next one there.
 *
 * Context: the mdev lock held, from a region or config write of the vfio
 * client; model spinlocks may be held too.  Does not sleep.
 *
 * Return: true if the engine will run; false if the function may not
 * master now (Bus Master Enable clear, the device closed or its engine
 * stopped): the doorbell is then ignored, as the model's hardware would.
 */
bool siov_mdev_engine_kick(struct siov_mdev *smdev)
{
	lockdep_assert_held(&smdev->lock);
	if (siov_mdev_engine_stopping(smdev))
		return false;
	atomic_set(&smdev->engine.kicked, 1);
	return true;
}
EXPORT_SYMBOL_GPL(siov_mdev_engine_kick);

/**
 * siov_mdev_engine_wake() - run the engine: the model has work for it
 * @smdev: the mdev
 *
 * For work that does not come from a register write: a model's queue that
 * was waiting for room elsewhere (a network sample's backlog draining in
 * NAPI).  Queues a batch on the device's worker; while the engine is
 * stopped (Bus Master Enable clear) the batch waits until it runs again.
 * Nothing happens once the device is closed.
 *
 * Context: any; does not sleep.
 */
void siov_mdev_engine_wake(struct siov_mdev *smdev)
{
	struct kthread_worker *worker;

	/*
	 * A wake while the engine is stopped (Bus Master Enable clear) runs
	 * when it is allowed again: the mark before the check, as
	 * smdev_engine_allow() sets @enabled before it takes the mark.
	 */
	atomic_set(&smdev->engine.wake_pending, 1);
	/* The mark before reading @enabled; pairs with smdev_engine_allow(). */
	smp_mb__after_atomic();
	/* smdev_engine_close() waits for this before it ends the worker. */
	rcu_read_lock();
	worker = READ_ONCE(smdev->engine.worker);
	if (worker && !siov_mdev_engine_stopping(smdev) &&
	    atomic_xchg(&smdev->engine.wake_pending, 0))
		kthread_queue_work(worker, &smdev->engine.work);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(siov_mdev_engine_wake);

/* One batch, on the worker or in a doorbell writer. */
static void smdev_engine_batch(struct siov_mdev *smdev)
{
	struct siov_mdev_batch batch = {
		.budget_descs = SIOV_MDEV_BATCH_DESCS,
		.budget_bytes = SIOV_MDEV_BATCH_BYTES,
	};
	bool more;

	lockdep_assert_held(&smdev->engine.run_lock);
	if (siov_mdev_engine_stopping(smdev))
		return;
	more = smdev->model->ops->engine_run(smdev, &batch);
	atomic64_inc(&smdev->stats.batches);
	atomic64_add(batch.descs, &smdev->stats.descs);
	atomic64_add(batch.bytes, &smdev->stats.bytes);
	trace_siov_mdev_engine_batch(smdev, batch.descs, batch.bytes, more);
	/* At the tail: the worker yields before the next batch. */
	if (more && !siov_mdev_engine_stopping(smdev))
		kthread_queue_work(smdev->engine.worker, &smdev->engine.work);
}

static void smdev_engine_work(struct kthread_work *work)
{
	struct siov_mdev *smdev = container_of(work, struct siov_mdev,
					       engine.work);

	mutex_lock(&smdev->engine.run_lock);
	smdev_engine_batch(smdev);
	mutex_unlock(&smdev->engine.run_lock);
}

/**
 * smdev_engine_doorbell() - after a client's write: run a kicked engine
 * @smdev: the mdev
 *
 * If the write kicked the engine, runs one batch here, in the client's
 * thread; if a batch is running on the worker, queues the next one there
 * instead.  A batch queued while the engine is being stopped finds it
 * stopped and does nothing.
 *
 * Context: process, from the vfio client's write; the mdev lock not held.
 */
void smdev_engine_doorbell(struct siov_mdev *smdev)
{
	struct siov_mdev_engine *engine = &smdev->engine;

	if (!atomic_read(&engine->kicked) || !atomic_xchg(&engine->kicked, 0))
		return;
	if (mutex_trylock(&engine->run_lock)) {
		smdev_engine_batch(smdev);
		mutex_unlock(&engine->run_lock);
	} else if (!siov_mdev_engine_stopping(smdev)) {
		kthread_queue_work(engine->worker, &engine->work);
	}
}

void smdev_engine_init(struct siov_mdev *smdev)
{
	mutex_init(&smdev->engine.run_lock);
	atomic_set(&smdev->engine.kicked, 0);
	atomic_set(&smdev->engine.wake_pending, 0);
	kthread_init_work(&smdev->engine.work, smdev_engine_work);
}

void smdev_engine_destroy(struct siov_mdev *smdev)
{
	mutex_destroy(&smdev->engine.run_lock);
}

/* Let the engine run if everything it needs is there. */
void smdev_engine_allow(struct siov_mdev *smdev)
{
	struct siov_mdev_engine *engine = &smdev->engine;
	bool on = engine->worker && smdev->ctx.dma &&
		  (smdev_cfg_command(smdev) & PCI_COMMAND_MASTER);

	lockdep_assert_held(&smdev->lock);
	WRITE_ONCE(engine->enabled, on);
	/* Pairs with the barrier in siov_mdev_engine_wake(). */
	smp_mb();
	if (on && atomic_xchg(&engine->wake_pending, 0))
		kthread_queue_work(engine->worker, &engine->work);
}

/* Stop the engine and wait for the batch in flight; then ops->quiesce. */
void smdev_engine_stop(struct siov_mdev *smdev)
{
	struct siov_mdev_engine *engine = &smdev->engine;

	lockdep_assert_held(&smdev->lock);
	WRITE_ONCE(engine->enabled, false);
	atomic_set(&engine->kicked, 0);
	/*
	 * The batch in flight, on the worker or in a doorbell writer, and
	 * then the one it may have queued: batches start under @run_lock and
	 * see @enabled clear from here on.
	 */
	mutex_lock(&engine->run_lock);
	mutex_unlock(&engine->run_lock);
	kthread_cancel_work_sync(&engine->work);
	smdev->model->ops->quiesce(smdev);
}

/**
 * siov_mdev_engine_reset() - stop the engine and let it run again
 * @smdev: the mdev
 *
 * For a model whose registers reset the engine (virtio's device status 0):
 * waits for the batch in flight, calls ops->quiesce, and lets the engine be
 * kicked again.  The device context stays programmed.
 *
 * Context: the mdev lock held (from a region or config write); sleeps.
 */
void siov_mdev_engine_reset(struct siov_mdev *smdev)
{
	smdev_engine_stop(smdev);
	atomic64_inc(&smdev->stats.resets);
	smdev_engine_allow(smdev);
}
EXPORT_SYMBOL_GPL(siov_mdev_engine_reset);

/*
 * The worker of a device being opened, in the opener's cgroups.  It stays
 * disabled until the context is programmed.
 */
int smdev_engine_open(struct siov_mdev *smdev)
{
	struct kthread_worker *worker;
	int ret;

	lockdep_assert_held(&smdev->lock);
	worker = kthread_create_worker(0, "siov-%d", task_pid_nr(current));
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	ret = cgroup_attach_task_all(current, worker->task);
	if (ret) {
		kthread_destroy_worker(worker);
		return ret;
	}
	/* A kthread_work belongs to one worker: this one from now on. */
	kthread_init_work(&smdev->engine.work, smdev_engine_work);
	smdev->engine.worker = worker;
	return 0;
}

/* The device is closing: stop the engine and end its worker. */
void smdev_engine_close(struct siov_mdev *smdev)
{
	struct kthread_worker *worker = smdev->engine.worker;

	lockdep_assert_held(&smdev->lock);
	smdev_engine_stop(smdev);
	WRITE_ONCE(smdev->engine.worker, NULL);
	/* A wake left from this opening means nothing to the next one. */
	atomic_set(&smdev->engine.wake_pending, 0);
	if (!worker)
		return;
	/* A waker that saw the worker has queued its work by now. */
	synchronize_rcu();
	kthread_destroy_worker(worker);
}
