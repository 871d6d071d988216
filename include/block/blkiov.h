/*
 * Scatter/gather lists for block requests (QEMU's QEMUIOVector): an array
 * of struct iovec with its total size, built by appending buffers or
 * slices of another list.  Drivers split a guest request into per-cluster
 * pieces by taking slices, without copying data.
 */
#ifndef MORPH_BLOCK_BLKIOV_H
#define MORPH_BLOCK_BLKIOV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

typedef struct BlkIOV {
    struct iovec *iov;
    int niov;
    int nalloc;
    size_t size;
} BlkIOV;

void blkiov_init(BlkIOV *q, int hint);
/* A list of one element that describes `buf` (call blkiov_destroy after). */
void blkiov_init_buf(BlkIOV *q, void *buf, size_t len);
void blkiov_add(BlkIOV *q, void *base, size_t len);
/* Append the bytes [offset, offset+len) of `src` (no copy). */
void blkiov_concat(BlkIOV *dst, const BlkIOV *src, size_t offset, size_t len);
void blkiov_reset(BlkIOV *q);
void blkiov_destroy(BlkIOV *q);
/* Copy out of / into the list from byte `offset`; return bytes copied. */
size_t blkiov_to_buf(const BlkIOV *q, size_t offset, void *buf, size_t len);
size_t blkiov_from_buf(BlkIOV *q, size_t offset, const void *buf, size_t len);
size_t blkiov_memset(BlkIOV *q, size_t offset, int c, size_t len);
/* True if the bytes [offset, offset+len) are all zero. */
bool blkiov_is_zero(const BlkIOV *q, size_t offset, size_t len);
/* True if every element is aligned (address and length) to `align`. */
bool blkiov_is_aligned(const BlkIOV *q, size_t align);
/* True if the whole buffer is zero (fast word-at-a-time check). */
bool blkiov_buffer_is_zero(const void *buf, size_t len);

#endif
