/*
 * A TB's restore data, packed into the code buffer right after its code.
 *
 * For each guest instruction the runtime needs the host offset where its
 * code ends and its insn_start words (to rebuild the guest state when a
 * helper faults in the middle of the TB).  Keeping them in the code buffer
 * costs no allocation per TB and is reclaimed with the code on a flush.
 * They are delta-encoded as LEB128 (offsets grow by tens of bytes, pcs by
 * 2 or 4), about 3 bytes per instruction instead of 20; decoding walks the
 * few instructions of one TB, and only when a guest exception is raised
 * from inside generated code.
 */
#include <string.h>

#include "tcg/tcg.h"

static uint8_t *restore_put_uleb(uint8_t *p, const uint8_t *end, uint64_t v)
{
    do {
        uint8_t byte = v & 0x7f;

        v >>= 7;
        if (p == end) {
            return NULL;
        }
        *p++ = byte | (v ? 0x80 : 0);
    } while (v);
    return p;
}

/* Signed values go zigzag-mapped: small negative deltas stay short. */
static uint8_t *restore_put_sleb(uint8_t *p, const uint8_t *end, int64_t v)
{
    return restore_put_uleb(p, end, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static const uint8_t *restore_get_uleb(const uint8_t *p, uint64_t *v)
{
    uint64_t val = 0;
    unsigned shift = 0;
    uint8_t byte;

    do {
        byte = *p++;
        if (shift < 64) {
            val |= (uint64_t)(byte & 0x7f) << shift;
        }
        shift += 7;
    } while (byte & 0x80);
    *v = val;
    return p;
}

static const uint8_t *restore_get_sleb(const uint8_t *p, int64_t *v)
{
    uint64_t u;

    p = restore_get_uleb(p, &u);
    *v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return p;
}

bool tcg_restore_data_encode(const TCGCodeInfo *info, uint8_t *buf, size_t cap, size_t *len)
{
    const uint8_t *end = buf + cap;
    uint64_t prev[TCG_INSN_START_WORDS] = {0};
    uint32_t prev_end = 0;
    uint8_t *p = buf;

    for (uint32_t i = 0; i < info->nb_insns && p; i++) {
        p = restore_put_uleb(p, end, info->insn_end_offset[i] - prev_end);
        prev_end = info->insn_end_offset[i];
        for (unsigned w = 0; w < TCG_INSN_START_WORDS && p; w++) {
            p = restore_put_sleb(p, end, (int64_t)(info->insn_data[i][w] - prev[w]));
            prev[w] = info->insn_data[i][w];
        }
    }
    if (!p) {
        return false;
    }
    *len = (size_t)(p - buf);
    return true;
}

bool tcg_restore_data_find(const uint8_t *data, uint32_t nb_insns, uintptr_t off,
                           uint64_t words[TCG_INSN_START_WORDS])
{
    uint64_t cur[TCG_INSN_START_WORDS] = {0};
    uint64_t end = 0;

    for (uint32_t i = 0; i < nb_insns; i++) {
        uint64_t delta;

        data = restore_get_uleb(data, &delta);
        end += delta;
        for (unsigned w = 0; w < TCG_INSN_START_WORDS; w++) {
            int64_t d;

            data = restore_get_sleb(data, &d);
            cur[w] += (uint64_t)d;
        }
        if (end > off) {
            memcpy(words, cur, sizeof(cur));
            return true;
        }
    }
    return false;
}
