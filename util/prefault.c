/*
 * Fault in memory that is about to be written, on a background thread.
 *
 * The first write to a page of fresh anonymous memory makes the kernel
 * allocate and zero it (2 MiB at once under transparent huge pages), and on
 * a virtualized host that first touch is expensive.  The translator fills
 * its code buffer and TB arena front to back, so where it will write next is
 * known: mem_prefault_async() hands the next chunk to a thread that populates
 * it with MADV_POPULATE_WRITE while the vCPU thread goes on translating and
 * running guest code, usually on another host core.  MADV_POPULATE_WRITE
 * does not change the contents, so it is safe while the owner writes the
 * same range.  A kernel without it (before Linux 5.14) just makes every
 * request a no-op, as does a full queue: prefaulting is only ever a hint.
 *
 * The thread starts on the first request and lives until the process exits
 * (it sleeps on a condition variable when there is nothing to do).  Only
 * processes that do not fork use it (system emulation): a forked child
 * would inherit the queue but not the thread.
 */
#include "util/prefault.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include <glib.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PREFAULT_QUEUE 16

static struct {
    GMutex lock;
    GCond cond;
    struct {
        uintptr_t addr;
        size_t len;
    } queue[PREFAULT_QUEUE];
    unsigned head, count;
    bool started, unsupported;
    uint64_t done_bytes;
} prefault;

static gpointer prefault_thread(gpointer opaque)
{
    sigset_t all;

    (void)opaque;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    g_mutex_lock(&prefault.lock);
    for (;;) {
        uintptr_t addr;
        size_t len;
        int ret;

        while (!prefault.count) {
            g_cond_wait(&prefault.cond, &prefault.lock);
        }
        addr = prefault.queue[prefault.head].addr;
        len = prefault.queue[prefault.head].len;
        prefault.head = (prefault.head + 1) % PREFAULT_QUEUE;
        prefault.count--;
        g_mutex_unlock(&prefault.lock);

        ret = madvise((void *)addr, len, MADV_POPULATE_WRITE);

        g_mutex_lock(&prefault.lock);
        if (ret == 0) {
            prefault.done_bytes += len;
        } else if (errno == EINVAL) {
            prefault.unsupported = true;
        }
    }
    return NULL;
}

void mem_prefault_async(void *addr, size_t len)
{
    uintptr_t page = 4096;
    uintptr_t start = ((uintptr_t)addr + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)addr + len) & ~(page - 1);

    if (end <= start) {
        return;
    }
    g_mutex_lock(&prefault.lock);
    if (!prefault.unsupported && prefault.count < PREFAULT_QUEUE) {
        unsigned tail = (prefault.head + prefault.count) % PREFAULT_QUEUE;

        prefault.queue[tail].addr = start;
        prefault.queue[tail].len = end - start;
        prefault.count++;
        if (!prefault.started) {
            prefault.started = true;
            g_thread_unref(g_thread_new("prefault", prefault_thread, NULL));
        }
        g_cond_signal(&prefault.cond);
    }
    g_mutex_unlock(&prefault.lock);
}

void mem_prefault_for_copy(void *dst, size_t len)
{
    uintptr_t base = (uintptr_t)dst;
    size_t chunks = len / MEM_PREFAULT_CHUNK;

    /* The first chunk is the writer's own; queue the rest from the back. */
    for (size_t k = chunks; k >= 1 && chunks - k < PREFAULT_QUEUE; k--) {
        size_t off = k * MEM_PREFAULT_CHUNK;

        mem_prefault_async((void *)(base + off), MIN(MEM_PREFAULT_CHUNK, len - off));
    }
}

uint64_t mem_prefault_done_bytes(void)
{
    uint64_t n;

    g_mutex_lock(&prefault.lock);
    n = prefault.done_bytes;
    g_mutex_unlock(&prefault.lock);
    return n;
}
