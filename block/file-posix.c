/*
 * The "file" protocol: a host file or block device (QEMU's
 * block/file-posix.c).  Reads and writes are submitted to the main loop
 * (aio=io_uring/native through the loop's ring, aio=threads through its
 * worker pool, see aio-loop.c).  cache=none opens with O_DIRECT; requests
 * and buffers that are not aligned for it are bounced here, writes by
 * read-modify-write under a lock.  Short transfers are resumed; a read
 * past the end of the file returns zeroes, as QEMU does.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aio-loop.h"
#include "block/block_int.h"

enum {
    FILE_DIRECT_ALIGN = 4096,
};

typedef struct FileState {
    int fd;
    BlockAioKind aio;
    bool direct;
    CoMutex rmw_lock;       /* serializes O_DIRECT read-modify-write */
} FileState;

static int file_open(BlockDriverState *bs, const Opts *options, int flags, Error **errp)
{
    FileState *s = bs->opaque;
    const char *aio = opts_get(options, "aio");
    int oflags = O_CLOEXEC | ((flags & BDRV_O_RDWR) ? O_RDWR : O_RDONLY);
    int aflags = flags;

    if (aio && !bdrv_parse_aio(aio, &aflags)) {
        error_setg(errp, "Invalid parameter '%s' for 'aio'", aio);
        return -EINVAL;
    }
    s->aio = (aflags & BDRV_O_AIO_THREADS) ? BLOCK_AIO_THREADS : BLOCK_AIO_IO_URING;
    if (flags & BDRV_O_NOCACHE) {
        oflags |= O_DIRECT;
        s->direct = true;
    }
    s->fd = open(bs->filename, oflags);
    if (s->fd < 0 && errno == EROFS && (flags & BDRV_O_RDWR)) {
        error_setg_errno(errp, errno, "Could not open '%s'", bs->filename);
        return -EROFS;
    }
    if (s->fd < 0) {
        int err = errno;
        if (err == EINVAL && s->direct) {
            error_setg(errp, "Could not open '%s': filesystem does not support O_DIRECT",
                       bs->filename);
        } else {
            error_setg_errno(errp, err, "Could not open '%s'", bs->filename);
        }
        return -err;
    }
    co_mutex_init(&s->rmw_lock);
    bs->request_alignment = s->direct ? FILE_DIRECT_ALIGN : 1;
    return 0;
}

static void file_close(BlockDriverState *bs)
{
    FileState *s = bs->opaque;

    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

/* Transfer all of `qiov` at `offset`, resuming short transfers. */
static int file_co_rw_full(FileState *s, int64_t offset, BlkIOV *qiov, bool is_write)
{
    size_t done = 0;

    while (done < qiov->size) {
        BlkIOV part;
        int64_t r;

        blkiov_init(&part, qiov->niov);
        blkiov_concat(&part, qiov, done, qiov->size - done);
        if (is_write) {
            r = block_aio_pwritev(s->aio, s->fd, part.iov, part.niov, offset + done);
        } else {
            r = block_aio_preadv(s->aio, s->fd, part.iov, part.niov, offset + done);
        }
        blkiov_destroy(&part);
        if (r == -EINTR || r == -EAGAIN) {
            continue;
        }
        if (r < 0) {
            return (int)r;
        }
        if (r == 0) {
            if (is_write) {
                return -EIO;
            }
            /* End of file: the rest reads as zeroes. */
            blkiov_memset(qiov, done, 0, qiov->size - done);
            return 0;
        }
        done += r;
    }
    return 0;
}

static bool file_is_aligned(FileState *s, int64_t offset, int64_t bytes, BlkIOV *qiov)
{
    if (!s->direct) {
        return true;
    }
    return !((offset | bytes) & (FILE_DIRECT_ALIGN - 1)) &&
           blkiov_is_aligned(qiov, FILE_DIRECT_ALIGN);
}

/* O_DIRECT: go through an aligned bounce buffer covering the request. */
static int file_co_bounce(FileState *s, int64_t offset, int64_t bytes, BlkIOV *qiov,
                          bool is_write)
{
    int64_t start = offset & ~(int64_t)(FILE_DIRECT_ALIGN - 1);
    int64_t end = (offset + bytes + FILE_DIRECT_ALIGN - 1) & ~(int64_t)(FILE_DIRECT_ALIGN - 1);
    uint8_t *buf = blk_blockalign(end - start);
    BlkIOV bq;
    int ret;

    blkiov_init_buf(&bq, buf, end - start);
    if (is_write) {
        co_mutex_lock(&s->rmw_lock);
    }
    ret = file_co_rw_full(s, start, &bq, false);
    if (ret == 0) {
        if (is_write) {
            blkiov_to_buf(qiov, 0, buf + (offset - start), bytes);
            ret = file_co_rw_full(s, start, &bq, true);
        } else {
            blkiov_from_buf(qiov, 0, buf + (offset - start), bytes);
        }
    }
    if (is_write) {
        co_mutex_unlock(&s->rmw_lock);
    }
    blkiov_destroy(&bq);
    blk_free(buf);
    return ret;
}

static int file_co_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                          int flags)
{
    FileState *s = bs->opaque;

    if (!file_is_aligned(s, offset, bytes, qiov)) {
        return file_co_bounce(s, offset, bytes, qiov, false);
    }
    return file_co_rw_full(s, offset, qiov, false);
}

static int file_co_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                           int flags)
{
    FileState *s = bs->opaque;

    if (!file_is_aligned(s, offset, bytes, qiov)) {
        return file_co_bounce(s, offset, bytes, qiov, true);
    }
    return file_co_rw_full(s, offset, qiov, true);
}

static int file_co_flush(BlockDriverState *bs)
{
    FileState *s = bs->opaque;

    return (int)block_aio_fdatasync(s->aio, s->fd);
}

static int file_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes,
                                 int flags)
{
    FileState *s = bs->opaque;
    int64_t r = -EOPNOTSUPP;

    if (flags & BDRV_REQ_MAY_UNMAP) {
        r = block_aio_fallocate(s->aio, s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                offset, bytes);
        if (r == 0) {
            /* A hole past the end does not extend the file; zeroes must. */
            struct stat st;
            if (fstat(s->fd, &st) == 0 && st.st_size < offset + bytes &&
                ftruncate(s->fd, offset + bytes) < 0) {
                return -errno;
            }
            return 0;
        }
    }
    r = block_aio_fallocate(s->aio, s->fd, FALLOC_FL_ZERO_RANGE, offset, bytes);
    if (r == 0) {
        return 0;
    }
    /* No fallocate support: write zeroes in pieces. */
    {
        int64_t chunk = MIN(bytes, (int64_t)1 << 20);
        uint8_t *zero = blk_blockalign(chunk);
        int ret = 0;

        memset(zero, 0, chunk);
        while (bytes > 0 && ret == 0) {
            int64_t n = MIN(bytes, chunk);
            BlkIOV q;
            blkiov_init_buf(&q, zero, n);
            ret = file_co_pwritev(bs, offset, n, &q, 0);
            blkiov_destroy(&q);
            offset += n;
            bytes -= n;
        }
        blk_free(zero);
        return ret;
    }
}

static int file_co_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    FileState *s = bs->opaque;
    int64_t r;

    r = block_aio_fallocate(s->aio, s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            offset, bytes);
    /* Discard is advisory: a file system without holes keeps the data. */
    return (r == -EOPNOTSUPP || r == -ENOTSUP) ? 0 : (int)r;
}

static int64_t file_getlength(BlockDriverState *bs)
{
    FileState *s = bs->opaque;
    struct stat st;
    off_t end;

    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    if (S_ISBLK(st.st_mode)) {
        end = lseek(s->fd, 0, SEEK_END);
        return end < 0 ? -errno : end;
    }
    return st.st_size;
}

static int64_t file_get_allocated_file_size(BlockDriverState *bs)
{
    FileState *s = bs->opaque;
    struct stat st;

    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return (int64_t)st.st_blocks * 512;
}

static int file_co_truncate(BlockDriverState *bs, int64_t offset, bool exact,
                            PreallocMode prealloc, Error **errp)
{
    FileState *s = bs->opaque;
    int64_t cur = file_getlength(bs);

    if (cur < 0) {
        error_setg_errno(errp, (int)-cur, "Failed to get file length");
        return (int)cur;
    }
    if (!exact && offset <= cur) {
        /* Reserving blocks under existing data never changes it. */
        if (prealloc == PREALLOC_MODE_FALLOC || prealloc == PREALLOC_MODE_FULL) {
            int err = posix_fallocate(s->fd, 0, offset);
            if (err && err != EOPNOTSUPP) {
                error_setg_errno(errp, err, "Could not preallocate data");
                return -err;
            }
        }
        return 0;
    }
    if (ftruncate(s->fd, offset) < 0) {
        int err = errno;
        error_setg_errno(errp, err, "Failed to resize file");
        return -err;
    }
    if (offset > cur && prealloc == PREALLOC_MODE_FALLOC) {
        int err = posix_fallocate(s->fd, cur, offset - cur);
        if (err) {
            error_setg_errno(errp, err, "Could not preallocate new data");
            return -err;
        }
    } else if (offset > cur && prealloc == PREALLOC_MODE_FULL) {
        int ret = file_co_pwrite_zeroes(bs, cur, offset - cur, 0);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not write zeros for preallocation");
            return ret;
        }
    }
    return 0;
}

/* SEEK_DATA/SEEK_HOLE: holes read as zeroes and are worth skipping in convert. */
static int file_co_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                                int64_t *pnum, int64_t *map, BlockDriverState **file)
{
    FileState *s = bs->opaque;
    off_t data, hole;

    *map = offset;
    *file = bs;
    data = lseek(s->fd, offset, SEEK_DATA);
    if (data < 0) {
        if (errno == ENXIO) {
            /* Past the last data: a hole to the end. */
            *pnum = bytes;
            return BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID;
        }
        *pnum = bytes;
        return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID;
    }
    if (data > offset) {
        *pnum = MIN(bytes, data - offset);
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID;
    }
    hole = lseek(s->fd, offset, SEEK_HOLE);
    if (hole < 0 || hole <= offset) {
        *pnum = bytes;
    } else {
        *pnum = MIN(bytes, hole - offset);
    }
    return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID;
}

const BlockDriver bdrv_file = {
    .format_name = "file",
    .instance_size = sizeof(FileState),
    .is_protocol = true,
    .open = file_open,
    .close = file_close,
    .co_preadv = file_co_preadv,
    .co_pwritev = file_co_pwritev,
    .co_flush = file_co_flush,
    .co_pwrite_zeroes = file_co_pwrite_zeroes,
    .co_pdiscard = file_co_pdiscard,
    .co_block_status = file_co_block_status,
    .co_truncate = file_co_truncate,
    .getlength = file_getlength,
    .get_allocated_file_size = file_get_allocated_file_size,
};
