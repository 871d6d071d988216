/*
 * Guest-side block throughput benchmark (bench/block/guest.py): runs
 * sequential and random reads and writes on a block device with O_DIRECT
 * (no guest page cache), several threads with pread/pwrite so that several
 * requests are in flight, times each workload with CLOCK_MONOTONIC and
 * prints one line per workload:
 *
 *   BLKBENCH <kind>-<size> bytes=<n> ns=<t> sum=0x<16 hex> bad=<n> sync_ns=<t>
 *
 * Usage: blkbench [-j THREADS] DEVICE SPEC...
 *   SPEC = KIND:BLOCK_BYTES:REGION_OFFSET_MIB:REGION_MIB:COUNT
 *   KIND = seq-read | seq-write | rand-read | rand-write
 *
 * Request i of a workload goes to block b(i) of the region: b = i mod n
 * (sequential) or b = i * 7919 mod n (random: a prime stride, the order
 * qemu-img bench -S gives), n = region / block size; thread t issues the
 * requests i = t, t + THREADS, ...  So the set of blocks touched does not
 * depend on timing, and results are comparable between emulators.
 *
 * The data is self-describing so that a wrong read cannot score: the first
 * 64-bit word (little-endian) of every 512-byte sector s (absolute sector
 * number on the disk) holds blkbench_tag(s).  Reads check that tag (a
 * mismatch counts in bad=) and add the sector's last word into sum=, which
 * the host computes from the image it made.  Writes store the tag and its
 * complement in the sector's first and last words, which the host checks
 * in the image afterwards.  Writes end with fsync() inside the timed part
 * (ns= includes it; sync_ns= is that fsync alone, 0 for reads).
 *
 * Errors (no device, a region past its end, a failed or short transfer)
 * print one "BLKBENCH error: ..." line and exit 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define SECTOR      512u
#define RAND_STRIDE 7919u
#define MAX_THREADS 64u
#define MAX_BLOCK   (16u << 20)

typedef enum { SEQ_READ, SEQ_WRITE, RAND_READ, RAND_WRITE } Kind;

static const char *const kind_names[] = {"seq-read", "seq-write", "rand-read", "rand-write"};

typedef struct Workload {
    Kind kind;
    uint64_t block;      /* bytes per request */
    uint64_t region_off; /* bytes */
    uint64_t nblocks;    /* blocks in the region */
    uint64_t count;      /* requests */
} Workload;

typedef struct Worker {
    pthread_t thread;
    const Workload *w;
    int fd;
    unsigned id, nthreads;
    uint8_t *buf;
    uint64_t sum, bad;
    int err; /* errno of a failed transfer, or -1 for a short one */
    uint64_t err_off;
} Worker;

static void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("BLKBENCH error: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
    exit(1);
}

static uint64_t blkbench_tag(uint64_t sector)
{
    return sector * 0x9e3779b97f4a7c15ULL ^ 0x6d6f7270682d626bULL;
}

static bool is_write(Kind k)
{
    return k == SEQ_WRITE || k == RAND_WRITE;
}

static uint64_t block_of(const Workload *w, uint64_t i)
{
    if (w->kind == RAND_READ || w->kind == RAND_WRITE) {
        /* 128-bit product: i * stride must not wrap before the modulo. */
        return (uint64_t)((unsigned __int128)i * RAND_STRIDE % w->nblocks);
    }
    return i % w->nblocks;
}

static void *worker_run(void *opaque)
{
    Worker *k = opaque;
    const Workload *w = k->w;
    uint64_t nsect = w->block / SECTOR;
    uint64_t i, j;

    for (i = k->id; i < w->count; i += k->nthreads) {
        uint64_t off = w->region_off + block_of(w, i) * w->block;
        uint64_t first = off / SECTOR;
        ssize_t n;

        if (is_write(w->kind)) {
            for (j = 0; j < nsect; j++) {
                uint64_t tag = blkbench_tag(first + j);
                memcpy(k->buf + j * SECTOR, &tag, 8);
                tag = ~tag;
                memcpy(k->buf + j * SECTOR + SECTOR - 8, &tag, 8);
            }
            n = pwrite(k->fd, k->buf, w->block, (off_t)off);
        } else {
            n = pread(k->fd, k->buf, w->block, (off_t)off);
        }
        if (n != (ssize_t)w->block) {
            k->err = n < 0 ? errno : -1;
            k->err_off = off;
            return NULL;
        }
        if (!is_write(w->kind)) {
            for (j = 0; j < nsect; j++) {
                uint64_t tag, last;

                memcpy(&tag, k->buf + j * SECTOR, 8);
                memcpy(&last, k->buf + j * SECTOR + SECTOR - 8, 8);
                k->bad += tag != blkbench_tag(first + j);
                k->sum += last;
            }
        }
    }
    return NULL;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void size_name(uint64_t bytes, char *out, size_t len)
{
    if (bytes % (1u << 20) == 0) {
        snprintf(out, len, "%" PRIu64 "M", bytes >> 20);
    } else if (bytes % 1024 == 0) {
        snprintf(out, len, "%" PRIu64 "K", bytes >> 10);
    } else {
        snprintf(out, len, "%" PRIu64, bytes);
    }
}

static void run_workload(const char *dev, int fd, const Workload *w, unsigned nthreads)
{
    Worker workers[MAX_THREADS];
    uint64_t t0, t1, tsync, sum = 0, bad = 0;
    unsigned t;
    char size[32];

    memset(workers, 0, sizeof(workers));
    for (t = 0; t < nthreads; t++) {
        Worker *k = &workers[t];

        k->w = w;
        k->fd = fd;
        k->id = t;
        k->nthreads = nthreads;
        if (posix_memalign((void **)&k->buf, 4096, w->block)) {
            fail("out of memory for %u buffers of %" PRIu64 " bytes", nthreads, w->block);
        }
        memset(k->buf, 0x55, w->block);
    }
    t0 = now_ns();
    for (t = 0; t < nthreads; t++) {
        int e = pthread_create(&workers[t].thread, NULL, worker_run, &workers[t]);

        if (e) {
            fail("pthread_create: %s", strerror(e));
        }
    }
    for (t = 0; t < nthreads; t++) {
        pthread_join(workers[t].thread, NULL);
    }
    for (t = 0; t < nthreads; t++) {
        if (workers[t].err) {
            fail("%s %s at byte %" PRIu64 ": %s", kind_names[w->kind], dev, workers[t].err_off,
                 workers[t].err < 0 ? "short transfer" : strerror(workers[t].err));
        }
    }
    tsync = now_ns();
    if (is_write(w->kind) && fsync(fd) < 0) {
        fail("fsync %s: %s", dev, strerror(errno));
    }
    t1 = now_ns();
    if (!is_write(w->kind)) {
        tsync = t1;
    }
    for (t = 0; t < nthreads; t++) {
        sum += workers[t].sum;
        bad += workers[t].bad;
        free(workers[t].buf);
    }
    size_name(w->block, size, sizeof(size));
    printf("BLKBENCH %s-%s bytes=%" PRIu64 " ns=%" PRIu64 " sum=0x%016" PRIx64 " bad=%" PRIu64
           " sync_ns=%" PRIu64 "\n",
           kind_names[w->kind], size, w->block * w->count, t1 - t0, sum, bad, t1 - tsync);
    fflush(stdout);
}

static uint64_t parse_u64(const char *s, const char *what, const char *spec)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || (*end && *end != ':') || *s == '-') {
        fail("bad %s in workload '%s'", what, spec);
    }
    return v;
}

/* KIND:BLOCK_BYTES:REGION_OFFSET_MIB:REGION_MIB:COUNT, checked against the disk size. */
static Workload parse_spec(const char *spec, uint64_t disk_bytes)
{
    Workload w;
    const char *p = spec;
    uint64_t field[4], off_mib, len_mib;
    size_t klen;
    unsigned i;
    bool found = false;

    klen = strcspn(p, ":");
    for (i = 0; i < 4; i++) {
        if (strlen(kind_names[i]) == klen && !strncmp(p, kind_names[i], klen)) {
            w.kind = (Kind)i;
            found = true;
        }
    }
    if (!found) {
        fail("unknown workload kind in '%s' (seq-read, seq-write, rand-read, rand-write)", spec);
    }
    p += klen;
    for (i = 0; i < 4; i++) {
        if (*p != ':') {
            fail("workload '%s' is not KIND:BLOCK_BYTES:OFFSET_MIB:REGION_MIB:COUNT", spec);
        }
        field[i] = parse_u64(++p, "number", spec);
        p += strcspn(p, ":");
    }
    if (*p) {
        fail("workload '%s' has too many fields", spec);
    }
    w.block = field[0];
    off_mib = field[1];
    len_mib = field[2];
    w.count = field[3];
    if (w.block == 0 || w.block % SECTOR || w.block > MAX_BLOCK) {
        fail("block size %" PRIu64 " is not a multiple of %u up to %u", w.block, SECTOR, MAX_BLOCK);
    }
    if (off_mib > (disk_bytes >> 20) || len_mib > (disk_bytes >> 20) - off_mib || !len_mib) {
        fail("region %" PRIu64 "+%" PRIu64 " MiB is empty or past the end of the disk "
             "(%" PRIu64 " MiB)",
             off_mib, len_mib, disk_bytes >> 20);
    }
    w.region_off = off_mib << 20;
    w.nblocks = (len_mib << 20) / w.block;
    if (w.nblocks == 0) {
        fail("region of %" PRIu64 " MiB holds no block of %" PRIu64 " bytes", len_mib, w.block);
    }
    if ((w.kind == RAND_READ || w.kind == RAND_WRITE) && w.nblocks % RAND_STRIDE == 0) {
        fail("region of %" PRIu64 " blocks is a multiple of the stride %u", w.nblocks, RAND_STRIDE);
    }
    return w;
}

int main(int argc, char **argv)
{
    unsigned nthreads = 4;
    uint64_t disk_bytes = 0;
    const char *dev;
    Workload *ws;
    int opt, fd, i, n;

    while ((opt = getopt(argc, argv, "j:")) != -1) {
        if (opt == 'j') {
            char *end;
            long v = strtol(optarg, &end, 10);

            if (*end || v < 1 || v > (long)MAX_THREADS) {
                fail("-j wants 1..%u threads", MAX_THREADS);
            }
            nthreads = (unsigned)v;
        } else {
            fail("usage: blkbench [-j THREADS] DEVICE "
                 "KIND:BLOCK_BYTES:OFFSET_MIB:REGION_MIB:COUNT...");
        }
    }
    if (argc - optind < 2) {
        fail("usage: blkbench [-j THREADS] DEVICE KIND:BLOCK_BYTES:OFFSET_MIB:REGION_MIB:COUNT...");
    }
    dev = argv[optind];
    fd = open(dev, O_RDWR | O_DIRECT);
    if (fd < 0) {
        fail("cannot open %s: %s", dev, strerror(errno));
    }
    if (ioctl(fd, BLKGETSIZE64, &disk_bytes) < 0) {
        fail("%s is not a block device (%s)", dev, strerror(errno));
    }
    n = argc - optind - 1;
    ws = calloc((size_t)n, sizeof(*ws));
    if (!ws) {
        fail("out of memory");
    }
    /* Check every spec before running any, so a typo costs no time. */
    for (i = 0; i < n; i++) {
        ws[i] = parse_spec(argv[optind + 1 + i], disk_bytes);
    }
    for (i = 0; i < n; i++) {
        run_workload(dev, fd, &ws[i], nthreads);
    }
    printf("BLKBENCH done threads=%u disk=%" PRIu64 "\n", nthreads, disk_bytes);
    close(fd);
    free(ws);
    return 0;
}
