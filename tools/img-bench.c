/*
 * morph-img bench (qemu-img's img_bench: `depth` requests in flight,
 * offsets advancing by `step` modulo the image size, the same output
 * lines) and the hidden x-writer verb, a heavy concurrent writer used by
 * the crash-consistency test: it logs every write it issues ("W idx
 * block"), every completion ("C idx") and every completed flush ("F n":
 * the first n completions are stable), line by line, so that a test can
 * kill it at any moment and know what the image must contain.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "img.h"

typedef struct BenchState {
    BlockBackend *blk;
    uint8_t *buf;
    int bufsize;
    int count;
    int depth;
    int64_t offset;
    int64_t step;
    int64_t image_size;
    bool write;
    int flush_interval;
    int submitted;
    int completed;
    int in_flight;
    int writes_since_flush;
    bool flushing;
    int error;
} BenchState;

typedef struct BenchReq {
    BenchState *b;
    BlkIOV qiov;
} BenchReq;

static void bench_submit(BenchState *b);

static void bench_cb(void *opaque, int ret)
{
    BenchReq *r = opaque;
    BenchState *b = r->b;

    blkiov_destroy(&r->qiov);
    g_free(r);
    if (ret < 0 && !b->error) {
        b->error = ret;
    }
    b->in_flight--;
    b->completed++;
    bench_submit(b);
}

static void bench_flush_cb(void *opaque, int ret)
{
    BenchState *b = opaque;

    if (ret < 0 && !b->error) {
        b->error = ret;
    }
    b->flushing = false;
    b->in_flight--;
    bench_submit(b);
}

static void bench_submit(BenchState *b)
{
    while (!b->error && !b->flushing && b->submitted < b->count && b->in_flight < b->depth) {
        BenchReq *r;
        int slot = b->submitted % b->depth;

        if (b->flush_interval && b->writes_since_flush >= b->flush_interval) {
            /* Like qemu-img: a flush waits for the writes before it. */
            if (b->in_flight > 0) {
                return;
            }
            b->writes_since_flush = 0;
            b->flushing = true;
            b->in_flight++;
            blk_aio_flush(b->blk, bench_flush_cb, b);
            return;
        }
        r = g_new(BenchReq, 1);
        r->b = b;
        blkiov_init_buf(&r->qiov, b->buf + (size_t)slot * b->bufsize, b->bufsize);
        b->in_flight++;
        b->submitted++;
        b->writes_since_flush += b->write;
        if (b->write) {
            blk_aio_pwritev(b->blk, b->offset, &r->qiov, 0, bench_cb, r);
        } else {
            blk_aio_preadv(b->blk, b->offset, &r->qiov, 0, bench_cb, r);
        }
        /* qemu-img 7.2's rule (the peer we are measured against): modulo the size. */
        b->offset += b->step;
        b->offset = b->image_size ? b->offset % b->image_size : 0;
    }
}

int img_bench(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "flush-interval", required_argument, NULL, 'F' + 256 },
        { "no-drain", no_argument, NULL, 'D' },
        { "pattern", required_argument, NULL, 'P' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *cache = "writeback", *aio = NULL;
    BenchState b = { .count = 75000, .depth = 64, .bufsize = 4096 };
    bool quiet = false, wt = false;
    int pattern = 0, c, flags = 0, ret = 1;
    uint64_t v;
    struct timespec t0, t1;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":hc:d:f:ni:o:qs:S:t:wU", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            b.count = atoi(optarg);
            break;
        case 'd':
            b.depth = atoi(optarg);
            break;
        case 'f':
            fmt = optarg;
            break;
        case 'n':
            flags |= BDRV_O_NOCACHE;
            break;
        case 'i':
            aio = optarg;
            break;
        case 'o':
            if (!parse_size(optarg, 1, &v)) {
                return img_usage_error("Invalid offset specified");
            }
            b.offset = (int64_t)v;
            break;
        case 'q':
            quiet = true;
            break;
        case 's':
            if (!parse_size(optarg, 1, &v) || v == 0 || v > INT32_MAX) {
                return img_usage_error("Invalid buffer size specified");
            }
            b.bufsize = (int)v;
            break;
        case 'S':
            if (!parse_size(optarg, 1, &v)) {
                return img_usage_error("Invalid step size specified");
            }
            b.step = (int64_t)v;
            break;
        case 't':
            cache = optarg;
            break;
        case 'w':
            flags |= BDRV_O_RDWR;
            b.write = true;
            break;
        case 'F' + 256:
            b.flush_interval = atoi(optarg);
            break;
        case 'P':
            pattern = atoi(optarg);
            break;
        case 'D':
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img bench [-c count] [-d depth] [-f fmt] "
                   "[--flush-interval=N] [-i aio] [-n] [-o offset] [--pattern=N] [-q] "
                   "[-s buffer_size] [-S step_size] [-t cache] [-w] filename\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error("Expecting one image file name");
    }
    if (b.count <= 0 || b.depth <= 0) {
        return img_usage_error("Invalid request count or depth");
    }
    if (!img_parse_cache(cache, &flags, &wt)) {
        return 1;
    }
    if (aio && !bdrv_parse_aio(aio, &flags)) {
        return img_usage_error("Invalid aio option: %s", aio);
    }
    {
        Error *err = NULL;
        char *o = aio ? g_strdup_printf("file.aio=%s", aio) : g_strdup("");
        Opts *opts = opts_parse(o, NULL, &error_abort);
        b.blk = blk_new_open(argv[optind], fmt, opts, flags, &err);
        opts_free(opts);
        g_free(o);
        if (!b.blk) {
            error_report("Could not open '%s': %s", argv[optind], error_get_pretty(err));
            error_free(err);
            return 1;
        }
    }
    if (!b.step) {
        b.step = b.bufsize;
    }
    b.image_size = blk_getlength(b.blk);
    b.buf = blk_blockalign((size_t)b.depth * b.bufsize);
    memset(b.buf, pattern ? pattern : 0xa, (size_t)b.depth * b.bufsize);
    if (!quiet) {
        printf("Sending %d %s requests, %d bytes each, %d in parallel (starting at offset %"
               PRId64 ", step size %" PRId64 ")\n", b.count, b.write ? "write" : "read",
               b.bufsize, b.depth, b.offset, b.step);
        if (b.flush_interval) {
            printf("Sending flush every %d requests\n", b.flush_interval);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bench_submit(&b);
    while (b.completed < b.count && !b.error) {
        block_poll();
    }
    blk_drain(b.blk);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (b.error) {
        error_report("Failed request: %s", strerror(-b.error));
    } else {
        if (!quiet) {
            printf("Run completed in %3.3f seconds.\n",
                   (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
        }
        ret = 0;
    }
    blk_free(b.buf);
    blk_unref(b.blk);
    return ret;
}

/* ---- x-writer ---------------------------------------------------------------- */

typedef struct WriterReq {
    struct WriterState *w;
    uint64_t idx;
    int64_t block;
    uint8_t *buf;
    BlkIOV qiov;
} WriterReq;

typedef struct WriterState {
    BlockBackend *blk;
    int64_t nblocks;
    int bsize;
    uint64_t rng;
    uint64_t next_idx;
    uint64_t completions;
    int in_flight;
    int depth;
    int flush_every;
    uint64_t since_flush;
    bool flushing;
    uint64_t max_writes;
    GHashTable *busy;   /* blocks with a write in flight */
    int error;
} WriterState;

static uint64_t writer_rand(WriterState *w)
{
    /* xorshift64*: reproducible with --seed, no libc state. */
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return w->rng * 2685821657736338717ULL;
}

static void writer_submit(WriterState *w);

static void writer_write_cb(void *opaque, int ret)
{
    WriterReq *r = opaque;
    WriterState *w = r->w;

    if (ret < 0) {
        w->error = ret;
    } else {
        w->completions++;
        w->since_flush++;
        printf("C %" PRIu64 "\n", r->idx);
    }
    g_hash_table_remove(w->busy, GINT_TO_POINTER(r->block + 1));
    blkiov_destroy(&r->qiov);
    blk_free(r->buf);
    g_free(r);
    w->in_flight--;
    writer_submit(w);
}

typedef struct WriterFlush {
    WriterState *w;
    uint64_t stable;
} WriterFlush;

static void writer_flush_cb(void *opaque, int ret)
{
    WriterFlush *f = opaque;
    WriterState *w = f->w;

    if (ret < 0) {
        w->error = ret;
    } else {
        printf("F %" PRIu64 "\n", f->stable);
    }
    g_free(f);
    w->flushing = false;
    w->in_flight--;
    writer_submit(w);
}

static void writer_submit(WriterState *w)
{
    while (!w->error && w->in_flight < w->depth &&
           (!w->max_writes || w->next_idx <= w->max_writes)) {
        WriterReq *r;
        int64_t block;

        if (!w->flushing && w->since_flush >= (uint64_t)w->flush_every) {
            /* Concurrent with further writes: only completed ones are promised. */
            WriterFlush *f = g_new(WriterFlush, 1);
            f->w = w;
            f->stable = w->completions;
            w->since_flush = 0;
            w->flushing = true;
            w->in_flight++;
            blk_aio_flush(w->blk, writer_flush_cb, f);
            continue;
        }
        block = (int64_t)(writer_rand(w) % (uint64_t)w->nblocks);
        if (g_hash_table_contains(w->busy, GINT_TO_POINTER(block + 1))) {
            continue;
        }
        r = g_new0(WriterReq, 1);
        r->w = w;
        r->idx = w->next_idx++;
        r->block = block;
        r->buf = blk_blockalign(w->bsize);
        for (int i = 0; i < w->bsize / 8; i++) {
            uint64_t word = (r->idx << 24) | (uint64_t)block;
            memcpy(r->buf + 8 * i, &word, 8);
        }
        blkiov_init_buf(&r->qiov, r->buf, w->bsize);
        g_hash_table_add(w->busy, GINT_TO_POINTER(block + 1));
        printf("W %" PRIu64 " %" PRId64 "\n", r->idx, block);
        w->in_flight++;
        blk_aio_pwritev(w->blk, block * w->bsize, &r->qiov, 0, writer_write_cb, r);
    }
}

int img_x_writer(int argc, char **argv)
{
    WriterState w = { .bsize = 16384, .depth = 8, .flush_every = 64, .rng = 1 };
    const char *fmt = "qcow2", *cache = "writeback";
    bool wt = false;
    int c, flags = BDRV_O_RDWR;

    optind = 0;
    while ((c = getopt(argc, argv, "f:s:b:d:F:n:t:")) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 's':
            w.rng = strtoull(optarg, NULL, 0) | 1;
            break;
        case 'b':
            w.bsize = atoi(optarg);
            break;
        case 'd':
            w.depth = atoi(optarg);
            break;
        case 'F':
            w.flush_every = atoi(optarg);
            break;
        case 'n':
            w.max_writes = strtoull(optarg, NULL, 0);
            break;
        case 't':
            cache = optarg;
            break;
        default:
            return img_usage_error("usage: morph-img x-writer [-f fmt] [-s seed] [-b bytes] "
                                   "[-d depth] [-F flush_every] [-n writes] [-t cache] file");
        }
    }
    if (optind != argc - 1 || w.bsize < 512 || w.bsize % 512 || w.depth < 1 ||
        w.flush_every < 1) {
        return img_usage_error("x-writer: bad arguments");
    }
    if (!img_parse_cache(cache, &flags, &wt)) {
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    w.blk = img_open(argv[optind], fmt, flags, false);
    if (!w.blk) {
        return 1;
    }
    w.nblocks = blk_getlength(w.blk) / w.bsize;
    w.next_idx = 1;
    w.busy = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (w.nblocks < w.depth * 2) {
        return img_usage_error("x-writer: image too small");
    }
    writer_submit(&w);
    while (w.in_flight > 0 && !w.error) {
        block_poll();
    }
    if (w.error) {
        error_report("x-writer: write failed: %s", strerror(-w.error));
        return 1;
    }
    if (blk_flush(w.blk) < 0) {
        return 1;
    }
    printf("F %" PRIu64 "\nDONE\n", w.completions);
    blk_unref(w.blk);
    g_hash_table_destroy(w.busy);
    return 0;
}
