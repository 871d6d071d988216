/*
 * Scatter/gather lists (contract: include/block/blkiov.h), the shape of
 * QEMU's util/iov.c: the total size is kept up to date so that slicing and
 * bounds checks do not walk the list.
 */
#include "block/blkiov.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

void blkiov_init(BlkIOV *q, int hint)
{
    q->nalloc = hint > 0 ? hint : 4;
    q->iov = g_new(struct iovec, q->nalloc);
    q->niov = 0;
    q->size = 0;
}

void blkiov_init_buf(BlkIOV *q, void *buf, size_t len)
{
    blkiov_init(q, 1);
    blkiov_add(q, buf, len);
}

void blkiov_add(BlkIOV *q, void *base, size_t len)
{
    if (len == 0) {
        return;
    }
    /* Merge with the previous element when contiguous: fewer syscall segments. */
    if (q->niov > 0) {
        struct iovec *last = &q->iov[q->niov - 1];
        if ((char *)last->iov_base + last->iov_len == (char *)base) {
            last->iov_len += len;
            q->size += len;
            return;
        }
    }
    if (q->niov == q->nalloc) {
        q->nalloc = q->nalloc * 2 + 1;
        q->iov = g_renew(struct iovec, q->iov, q->nalloc);
    }
    q->iov[q->niov].iov_base = base;
    q->iov[q->niov].iov_len = len;
    q->niov++;
    q->size += len;
}

void blkiov_concat(BlkIOV *dst, const BlkIOV *src, size_t offset, size_t len)
{
    for (int i = 0; i < src->niov && len > 0; i++) {
        size_t l = src->iov[i].iov_len;
        if (offset >= l) {
            offset -= l;
            continue;
        }
        size_t n = MIN(l - offset, len);
        blkiov_add(dst, (char *)src->iov[i].iov_base + offset, n);
        len -= n;
        offset = 0;
    }
}

void blkiov_reset(BlkIOV *q)
{
    q->niov = 0;
    q->size = 0;
}

void blkiov_destroy(BlkIOV *q)
{
    g_free(q->iov);
    q->iov = NULL;
    q->niov = q->nalloc = 0;
    q->size = 0;
}

size_t blkiov_to_buf(const BlkIOV *q, size_t offset, void *buf, size_t len)
{
    size_t done = 0;

    for (int i = 0; i < q->niov && done < len; i++) {
        size_t l = q->iov[i].iov_len;
        if (offset >= l) {
            offset -= l;
            continue;
        }
        size_t n = MIN(l - offset, len - done);
        memcpy((char *)buf + done, (char *)q->iov[i].iov_base + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t blkiov_from_buf(BlkIOV *q, size_t offset, const void *buf, size_t len)
{
    size_t done = 0;

    for (int i = 0; i < q->niov && done < len; i++) {
        size_t l = q->iov[i].iov_len;
        if (offset >= l) {
            offset -= l;
            continue;
        }
        size_t n = MIN(l - offset, len - done);
        memcpy((char *)q->iov[i].iov_base + offset, (const char *)buf + done, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t blkiov_memset(BlkIOV *q, size_t offset, int c, size_t len)
{
    size_t done = 0;

    for (int i = 0; i < q->niov && done < len; i++) {
        size_t l = q->iov[i].iov_len;
        if (offset >= l) {
            offset -= l;
            continue;
        }
        size_t n = MIN(l - offset, len - done);
        memset((char *)q->iov[i].iov_base + offset, c, n);
        done += n;
        offset = 0;
    }
    return done;
}

bool blkiov_buffer_is_zero(const void *buf, size_t len)
{
    const unsigned char *p = buf;

    while (len > 0 && ((uintptr_t)p & 7)) {
        if (*p) {
            return false;
        }
        p++;
        len--;
    }
    while (len >= 32) {
        const uint64_t *w = (const uint64_t *)p;
        if (w[0] | w[1] | w[2] | w[3]) {
            return false;
        }
        p += 32;
        len -= 32;
    }
    while (len > 0) {
        if (*p) {
            return false;
        }
        p++;
        len--;
    }
    return true;
}

bool blkiov_is_zero(const BlkIOV *q, size_t offset, size_t len)
{
    for (int i = 0; i < q->niov && len > 0; i++) {
        size_t l = q->iov[i].iov_len;
        if (offset >= l) {
            offset -= l;
            continue;
        }
        size_t n = MIN(l - offset, len);
        if (!blkiov_buffer_is_zero((char *)q->iov[i].iov_base + offset, n)) {
            return false;
        }
        len -= n;
        offset = 0;
    }
    return true;
}

bool blkiov_is_aligned(const BlkIOV *q, size_t align)
{
    for (int i = 0; i < q->niov; i++) {
        if (((uintptr_t)q->iov[i].iov_base | q->iov[i].iov_len) & (align - 1)) {
            return false;
        }
    }
    return true;
}
