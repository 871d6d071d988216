/*
 * threads: four POSIX threads sharing counters: an atomic add (AMOADD on
 * RISC-V), a compare-and-swap loop (LR/SC), and a counter and a small
 * table under a mutex (futex when contended), plus private work between
 * them.  The totals do not depend on the interleaving, so the checksum is
 * deterministic.
 *
 * usage: threads [iterations per thread]
 */
#include <pthread.h>
#include <stdbool.h>

#include "bench.h"

#define NTHREADS 4

static uint64_t atomic_sum;
static uint64_t cas_max;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t locked_count;
static uint64_t locked_table[16];

typedef struct Worker {
    pthread_t thread;
    uint64_t id, iters, priv;
} Worker;

static void *worker_main(void *opaque)
{
    Worker *w = opaque;
    uint64_t s = w->id + 1, priv = 0;

    for (uint64_t i = 0; i < w->iters; i++) {
        uint64_t r = bench_rand(&s);
        uint64_t v = r >> 44, old;

        __atomic_fetch_add(&atomic_sum, v, __ATOMIC_SEQ_CST);
        old = __atomic_load_n(&cas_max, __ATOMIC_RELAXED);
        while (old < v && !__atomic_compare_exchange_n(&cas_max, &old, v, true, __ATOMIC_SEQ_CST,
                                                       __ATOMIC_RELAXED)) {
        }
        if ((i & 7) == 0) {
            pthread_mutex_lock(&lock);
            locked_count++;
            locked_table[r & 15] += v;
            pthread_mutex_unlock(&lock);
        }
        priv = bench_mix(priv, r);
    }
    w->priv = priv;
    return NULL;
}

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 15000000);
    Worker w[NTHREADS];
    uint64_t h = 0;

    for (int i = 0; i < NTHREADS; i++) {
        w[i].id = (uint64_t)i;
        w[i].iters = n;
        if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
            perror("threads: pthread_create");
            return 1;
        }
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(w[i].thread, NULL);
        h = bench_mix(h, w[i].priv);
    }
    for (int i = 0; i < 16; i++) {
        h = bench_mix(h, locked_table[i]);
    }
    printf("threads n=%" PRIu64 " atomic=%" PRIu64 " max=%" PRIu64 " locked=%" PRIu64
           " checksum=%016" PRIx64 "\n",
           n, atomic_sum, cas_max, locked_count, bench_mix(bench_mix(h, atomic_sum), cas_max));
    return 0;
}
