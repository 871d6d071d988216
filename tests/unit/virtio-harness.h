/*
 * A fake guest for virtio device tests: guest RAM made of two adjacent
 * blocks in separate host mappings with inaccessible guard pages (so a
 * device access outside guest RAM faults), and a minimal virtio driver that
 * sets a device up through the virtio-mmio registers (modern or legacy)
 * and feeds its queues as a guest would.
 */
#ifndef MORPH_TESTS_VIRTIO_HARNESS_H
#define MORPH_TESTS_VIRTIO_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/virtio/virtio-mmio.h"

#define VH_RAM_BASE  0x80000000ULL
#define VH_BLOCK_SZ  (4 * 1024 * 1024ULL)
#define VH_RAM_SIZE  (2 * VH_BLOCK_SZ)
#define VH_MAX_QUEUES 4

extern const VirtIOGuestMem vh_mem;

/* Allocate the fake RAM (once) and clear it. */
void vh_ram_reset(void);
uint8_t *vh_gpa(uint64_t addr);
/* Mappings handed out and not yet given back. */
int vh_live_maps(void);

typedef struct VHQueue {
    unsigned size;
    uint64_t desc, avail, used;
    uint16_t avail_idx;
    uint16_t used_seen;
    uint16_t next_desc;
} VHQueue;

typedef struct VHDriver {
    VirtIOMMIO mmio;
    VirtIODevice *vdev;
    int irq_level;
    VHQueue q[VH_MAX_QUEUES];
    unsigned nq;
    uint64_t heap;
} VHDriver;

/* One buffer of a chain: guest address, length, device-writable. */
typedef struct VHBuf {
    uint64_t addr;
    uint32_t len;
    bool write;
} VHBuf;

/* Plug `vdev` into a fresh transport. */
void vh_driver_init(VHDriver *d, VirtIODevice *vdev, bool legacy);
/*
 * The 3.1.1 sequence: reset, ACKNOWLEDGE, DRIVER, features (& offered),
 * FEATURES_OK, `nq` queues of up to `qsize` entries, DRIVER_OK.  Returns the
 * status read back.
 */
uint32_t vh_driver_setup(VHDriver *d, uint64_t features, unsigned nq, unsigned qsize);
uint32_t vh_read(VHDriver *d, uint64_t off);
void vh_write(VHDriver *d, uint64_t off, uint32_t val);
/* Bump-allocate guest memory (16-byte aligned). */
uint64_t vh_alloc(VHDriver *d, uint64_t size);
/* Publish a chain on queue q (direct descriptors); returns its head. */
uint16_t vh_add_chain(VHDriver *d, unsigned q, const VHBuf *bufs, unsigned n);
/* Kick queue q. */
void vh_kick(VHDriver *d, unsigned q);
/*
 * Run the main loop until queue q has a new used element (or timeout_ms
 * passes); returns true and its id / len.
 */
bool vh_wait_used(VHDriver *d, unsigned q, uint32_t *id, uint32_t *len, int timeout_ms);
/* Pending used elements without waiting. */
bool vh_get_used(VHDriver *d, unsigned q, uint32_t *id, uint32_t *len);

#endif
