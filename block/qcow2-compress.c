/*
 * qcow2 compressed clusters with zlib (docs/interop/qcow2.txt,
 * "Compressed Clusters Descriptor"): a raw deflate stream (no zlib
 * header, window bits -12) that inflates to exactly one cluster.
 */
#include <string.h>
#include <zlib.h>

#include "qcow2.h"

ssize_t qcow2_compress(void *dest, size_t dest_size, const void *src, size_t src_size)
{
    z_stream strm;
    ssize_t ret;

    memset(&strm, 0, sizeof(strm));
    if (deflateInit2(&strm, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return -1;
    }
    strm.avail_in = (uInt)src_size;
    strm.next_in = (Bytef *)src;
    strm.avail_out = (uInt)dest_size;
    strm.next_out = dest;
    ret = deflate(&strm, Z_FINISH);
    if (ret == Z_STREAM_END) {
        ret = (ssize_t)(dest_size - strm.avail_out);
    } else {
        ret = -1;  /* did not fit: not worth compressing */
    }
    deflateEnd(&strm);
    return ret;
}

int qcow2_decompress(void *dest, size_t dest_size, const void *src, size_t src_size)
{
    z_stream strm;
    int ret;

    memset(&strm, 0, sizeof(strm));
    strm.avail_in = (uInt)src_size;
    strm.next_in = (Bytef *)src;
    strm.avail_out = (uInt)dest_size;
    strm.next_out = dest;
    if (inflateInit2(&strm, -12) != Z_OK) {
        return -1;
    }
    ret = inflate(&strm, Z_FINISH);
    /* The stored size is rounded up to sectors: trailing bytes are expected. */
    if ((ret == Z_STREAM_END || ret == Z_BUF_ERROR) && strm.avail_out == 0) {
        ret = 0;
    } else {
        ret = -1;
    }
    inflateEnd(&strm);
    return ret;
}
