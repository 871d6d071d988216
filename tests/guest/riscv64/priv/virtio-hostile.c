/*
 * A hostile virtio driver (tests/functional/riscv64/test_virtio_hostile.py):
 * bare metal in M-mode on the virt board, it finds the virtio-blk and
 * virtio-rng devices in the virtio-mmio slots (virtio 1.2 section 4.2,
 * version 2) and feeds them what a buggy or malicious guest would:
 * wrong-size and read-only register accesses, out-of-range sectors,
 * unknown request types, looped and out-of-range descriptor chains,
 * nested and misshapen indirect tables, zero-length buffers, DMA outside
 * RAM, bad queue sizes and features that were not offered.  Each case must
 * end in the answer the spec gives (IOERR, UNSUPP, DEVICE_NEEDS_RESET, a
 * refused FEATURES_OK), and a reset must bring the device back.
 *
 * Checks print PASS/FAIL on the UART; the program powers off through the
 * SiFive test device with the failure count as exit status.  The disk is
 * a copy of the assets' disk-8m.img, whose sectors start with
 * "MORPH-DISK sector=%010u".
 */
#include "priv-test.h"

#define VIRTIO_SLOTS 8
#define VIRTIO_SLOT(n) (0x10001000ul + (n) * 0x1000ul)
#define RAM_END 0x88000000ul /* -m 128M */

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_INT_ACK 0x064
#define R_STATUS 0x070
#define R_DESC_LO 0x080
#define R_DESC_HI 0x084
#define R_DRIVER_LO 0x090
#define R_DRIVER_HI 0x094
#define R_DEVICE_LO 0x0a0
#define R_DEVICE_HI 0x0a4
#define R_CONFIG 0x100

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40

#define F_INDIRECT (1ul << 28)
#define F_VERSION_1 (1ul << 32)

#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

#define QSIZE 16

typedef struct Desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} Desc;

static Desc desc[QSIZE] __attribute__((aligned(16)));
static struct {
    uint16_t flags, idx, ring[QSIZE], used_event;
} avail __attribute__((aligned(4)));
static struct {
    uint16_t flags, idx;
    struct {
        uint32_t id, len;
    } ring[QSIZE];
    uint16_t avail_event;
} used __attribute__((aligned(8)));
static Desc itable[8] __attribute__((aligned(16)));
static Desc itable2[2] __attribute__((aligned(16)));

static struct {
    uint32_t type, reserved;
    uint64_t sector;
} hdr;
static uint8_t data[1024];
static volatile uint8_t status;
static uint16_t avail_idx, used_seen;
/* The size of queue 0 as set up (QSIZE, or less if the device offers less). */
static unsigned qn = QSIZE;

static uint32_t rd(unsigned long base, unsigned off)
{
    return *(volatile uint32_t *)(base + off);
}

static void wr(unsigned long base, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

static void fence(void)
{
    __asm__ volatile("fence rw, rw" ::: "memory");
}

static void zero(void *p, unsigned long n)
{
    volatile uint8_t *b = p;

    while (n--) {
        *b++ = 0;
    }
}

static unsigned long find_device(uint32_t id)
{
    for (int n = VIRTIO_SLOTS - 1; n >= 0; n--) {
        if (rd(VIRTIO_SLOT(n), R_MAGIC) == 0x74726976 && rd(VIRTIO_SLOT(n), R_DEVICE_ID) == id) {
            return VIRTIO_SLOT(n);
        }
    }
    return 0;
}

/*
 * The driver initialisation of 3.1.1 with queue 0 of `qnum` entries;
 * returns the status read back at the end.
 */
static uint32_t dev_init(unsigned long base, uint64_t features, unsigned qnum)
{
    uint64_t offered;

    wr(base, R_STATUS, 0);
    zero(desc, sizeof(desc));
    zero(&avail, sizeof(avail));
    zero(&used, sizeof(used));
    avail_idx = used_seen = 0;
    wr(base, R_STATUS, S_ACK);
    wr(base, R_STATUS, S_ACK | S_DRIVER);
    wr(base, R_DEV_FEATURES_SEL, 0);
    offered = rd(base, R_DEV_FEATURES);
    wr(base, R_DEV_FEATURES_SEL, 1);
    offered |= (uint64_t)rd(base, R_DEV_FEATURES) << 32;
    (void)offered;
    wr(base, R_DRV_FEATURES_SEL, 0);
    wr(base, R_DRV_FEATURES, (uint32_t)features);
    wr(base, R_DRV_FEATURES_SEL, 1);
    wr(base, R_DRV_FEATURES, features >> 32);
    wr(base, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    if (!(rd(base, R_STATUS) & S_FEATURES_OK)) {
        return rd(base, R_STATUS);
    }
    wr(base, R_QUEUE_SEL, 0);
    if (qnum == QSIZE && rd(base, R_QUEUE_NUM_MAX) < QSIZE) {
        qnum = rd(base, R_QUEUE_NUM_MAX);
    }
    qn = qnum;
    wr(base, R_QUEUE_NUM, qnum);
    wr(base, R_DESC_LO, (uint32_t)(unsigned long)desc);
    wr(base, R_DESC_HI, 0);
    wr(base, R_DRIVER_LO, (uint32_t)(unsigned long)&avail);
    wr(base, R_DRIVER_HI, 0);
    wr(base, R_DEVICE_LO, (uint32_t)(unsigned long)&used);
    wr(base, R_DEVICE_HI, 0);
    wr(base, R_QUEUE_READY, 1);
    wr(base, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return rd(base, R_STATUS);
}

static void publish(unsigned long base, uint16_t head)
{
    avail.ring[avail_idx % qn] = head;
    fence();
    avail_idx++;
    avail.idx = avail_idx;
    fence();
    wr(base, R_QUEUE_NOTIFY, 0);
}

enum { GOT_NOTHING, GOT_USED, GOT_NEEDS_RESET };

/* Wait up to ~1 s of mtime (10 MHz) for a used element or NEEDS_RESET. */
static int wait_device(unsigned long base, uint32_t *len)
{
    volatile uint64_t *mtime = (volatile uint64_t *)CLINT_MTIME;
    uint64_t end = *mtime + 10000000;

    while (*mtime < end) {
        fence();
        if (*(volatile uint16_t *)&used.idx != used_seen) {
            if (len) {
                *len = used.ring[used_seen % qn].len;
            }
            used_seen++;
            wr(base, R_INT_ACK, rd(base, R_INT_STATUS));
            return GOT_USED;
        }
        if (rd(base, R_STATUS) & S_NEEDS_RESET) {
            return GOT_NEEDS_RESET;
        }
    }
    return GOT_NOTHING;
}

static void set_desc(Desc *d, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    d->addr = addr;
    d->len = len;
    d->flags = flags;
    d->next = next;
}

/* A block request: header, data (len bytes, device-writable if `in`), status. */
static int blk_request(unsigned long base, uint32_t type, uint64_t sector, uint32_t len, int in)
{
    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status = 0xee;
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&desc[1], (unsigned long)data, len, D_NEXT | (in ? D_WRITE : 0), 2);
    set_desc(&desc[2], (unsigned long)&status, 1, D_WRITE, 0);
    publish(base, 0);
    if (wait_device(base, 0) != GOT_USED) {
        return -1;
    }
    return status;
}

/* FLUSH has no data: header and status only. */
static int blk_flush(unsigned long base)
{
    hdr.type = 4;
    hdr.sector = 0;
    status = 0xee;
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&desc[1], (unsigned long)&status, 1, D_WRITE, 0);
    publish(base, 0);
    if (wait_device(base, 0) != GOT_USED) {
        return -1;
    }
    return status;
}

static const char disk_tag[] = "MORPH-DISK sector=0000000005";

static int tag_ok(void)
{
    for (unsigned i = 0; i < sizeof(disk_tag) - 1; i++) {
        if (data[i] != (uint8_t)disk_tag[i]) {
            return 0;
        }
    }
    return 1;
}

static void check_needs_reset(const char *name, unsigned long base)
{
    check(name, wait_device(base, 0) == GOT_NEEDS_RESET);
}

static void blk_init(unsigned long base)
{
    dev_init(base, F_VERSION_1 | F_INDIRECT, QSIZE);
}

static void test_registers(unsigned long blk)
{
    unsigned long empty = 0;

    check_eq("reg_magic", rd(blk, R_MAGIC), 0x74726976);
    check_eq("reg_version", rd(blk, R_VERSION), 2);
    check_eq("reg_vendor", rd(blk, 0x00c), 0x554d4551);
    /* Registers are 32-bit only: narrower reads answer 0. */
    check_eq("reg_byte_read", *(volatile uint8_t *)(blk + R_MAGIC), 0);
    check_eq("reg_half_read", *(volatile uint16_t *)(blk + R_MAGIC), 0);
    /* Writes to read-only registers are dropped. */
    wr(blk, R_DEVICE_ID, 7);
    check_eq("reg_devid_readonly", rd(blk, R_DEVICE_ID), 2);
    wr(blk, R_MAGIC, 0);
    check_eq("reg_magic_readonly", rd(blk, R_MAGIC), 0x74726976);
    /* Out-of-range config reads give all ones. */
    check_eq("config_out_of_range", rd(blk, R_CONFIG + 0xfc), 0xffffffff);
    /* Queue 5 does not exist on virtio-blk. */
    wr(blk, R_QUEUE_SEL, 5);
    check_eq("queue_num_max_absent", rd(blk, R_QUEUE_NUM_MAX), 0);
    /* An empty slot. */
    for (int n = 0; n < VIRTIO_SLOTS; n++) {
        if (rd(VIRTIO_SLOT(n), R_DEVICE_ID) == 0) {
            empty = VIRTIO_SLOT(n);
            break;
        }
    }
    check("empty_slot_found", empty != 0);
    if (empty) {
        check_eq("empty_slot_magic", rd(empty, R_MAGIC), 0x74726976);
        wr(empty, R_STATUS, S_ACK);
        check_eq("empty_slot_status", rd(empty, R_STATUS), 0);
    }
}

static void test_blk_requests(unsigned long blk)
{
    uint32_t cap;

    blk_init(blk);
    cap = rd(blk, R_CONFIG);
    check_eq("blk_capacity", cap, 16384);
    check_eq("blk_read_ok", blk_request(blk, 0, 5, 512, 1), 0);
    check("blk_read_data", tag_ok());
    check_eq("blk_read_past_end", blk_request(blk, 0, 16384, 512, 1), 1);
    check_eq("blk_read_straddles_end", blk_request(blk, 0, 16383, 1024, 1), 1);
    check_eq("blk_read_huge_sector", blk_request(blk, 0, ~0ul, 512, 1), 1);
    check_eq("blk_read_partial_sector", blk_request(blk, 0, 0, 100, 1), 1);
    check_eq("blk_write_past_end", blk_request(blk, 1, 1ul << 40, 512, 0), 1);
    check_eq("blk_unknown_type", blk_request(blk, 0x77, 0, 512, 1), 2);
    check_eq("blk_flush", blk_flush(blk), 0);
    check("blk_healthy", !(rd(blk, R_STATUS) & S_NEEDS_RESET));
}

static void test_blk_hostile(unsigned long blk)
{
    hdr.type = 0;
    hdr.sector = 0;

    /* A chain that loops: 0 -> 1 -> 0 (all device-writable, so only the loop is wrong). */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)data, 512, D_NEXT | D_WRITE, 1);
    set_desc(&desc[1], (unsigned long)data, 512, D_NEXT | D_WRITE, 0);
    publish(blk, 0);
    check_needs_reset("hostile_loop", blk);

    /* A head index past the queue. */
    blk_init(blk);
    publish(blk, QSIZE + 3);
    check_needs_reset("hostile_head_index", blk);

    /* A next index past the queue. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 200);
    publish(blk, 0);
    check_needs_reset("hostile_next_index", blk);

    /* A zero-length buffer. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&desc[1], (unsigned long)data, 0, D_NEXT | D_WRITE, 2);
    set_desc(&desc[2], (unsigned long)&status, 1, D_WRITE, 0);
    publish(blk, 0);
    check_needs_reset("hostile_zero_length", blk);

    /* A device-readable buffer after a device-writable one. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)&status, 1, D_NEXT | D_WRITE, 1);
    set_desc(&desc[1], (unsigned long)&hdr, 16, 0, 0);
    publish(blk, 0);
    check_needs_reset("hostile_order", blk);

    /* avail->idx moved by more than the queue size. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)&hdr, 16, 0, 0);
    avail.idx = QSIZE + 5;
    fence();
    wr(blk, R_QUEUE_NOTIFY, 0);
    check_needs_reset("hostile_avail_jump", blk);

    /* An indirect table inside an indirect table. */
    blk_init(blk);
    set_desc(&itable2[0], (unsigned long)&hdr, 16, 0, 0);
    set_desc(&itable[0], (unsigned long)itable2, sizeof(itable2), D_INDIRECT, 0);
    set_desc(&desc[0], (unsigned long)itable, 16, D_INDIRECT, 0);
    publish(blk, 0);
    check_needs_reset("hostile_nested_indirect", blk);

    /* An indirect table whose length is not a multiple of 16. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)itable, 20, D_INDIRECT, 0);
    publish(blk, 0);
    check_needs_reset("hostile_indirect_size", blk);

    /* A loop inside an indirect table. */
    blk_init(blk);
    set_desc(&itable[0], (unsigned long)data, 512, D_NEXT | D_WRITE, 1);
    set_desc(&itable[1], (unsigned long)data, 512, D_NEXT | D_WRITE, 0);
    set_desc(&desc[0], (unsigned long)itable, 2 * 16, D_INDIRECT, 0);
    publish(blk, 0);
    check_needs_reset("hostile_indirect_loop", blk);

    /* A well-formed indirect request still works after a reset. */
    blk_init(blk);
    hdr.sector = 5;
    status = 0xee;
    set_desc(&itable[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&itable[1], (unsigned long)data, 512, D_NEXT | D_WRITE, 2);
    set_desc(&itable[2], (unsigned long)&status, 1, D_WRITE, 0);
    set_desc(&desc[0], (unsigned long)itable, 3 * 16, D_INDIRECT, 0);
    zero(data, sizeof(data));
    publish(blk, 0);
    check("indirect_after_reset", wait_device(blk, 0) == GOT_USED && status == 0 && tag_ok());
}

/* Behaviour QEMU leaves undefined (it bounces DMA to non-RAM, takes any queue size). */
static void test_blk_strict(unsigned long blk)
{
    /* DMA into a hole of the address map. */
    blk_init(blk);
    hdr.type = 0;
    hdr.sector = 0;
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&desc[1], HOLE_ADDR, 512, D_NEXT | D_WRITE, 2);
    set_desc(&desc[2], (unsigned long)&status, 1, D_WRITE, 0);
    publish(blk, 0);
    check_needs_reset("strict_dma_hole", blk);

    /* DMA straddling the end of RAM. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&desc[1], RAM_END - 256, 512, D_NEXT | D_WRITE, 2);
    set_desc(&desc[2], (unsigned long)&status, 1, D_WRITE, 0);
    publish(blk, 0);
    check_needs_reset("strict_dma_past_ram", blk);

    /* DMA at an address that wraps around 2^64. */
    blk_init(blk);
    set_desc(&desc[0], (unsigned long)&hdr, 16, D_NEXT, 1);
    set_desc(&desc[1], ~0ul - 100, 512, D_NEXT | D_WRITE, 2);
    set_desc(&desc[2], (unsigned long)&status, 1, D_WRITE, 0);
    publish(blk, 0);
    check_needs_reset("strict_dma_wrap", blk);

    /* A queue size that is not a power of 2 (2.7). */
    check("strict_queue_size", dev_init(blk, F_VERSION_1, 12) & S_NEEDS_RESET);

    /* Features the device did not offer: FEATURES_OK stays clear (3.1.1). */
    check("strict_features",
          !(dev_init(blk, F_VERSION_1 | (1ul << 40), QSIZE) & S_FEATURES_OK));
    /* Without VERSION_1 on a version 2 device: refused too. */
    check("strict_no_version_1", !(dev_init(blk, 0, QSIZE) & S_FEATURES_OK));

    /* And the device still works. */
    blk_init(blk);
    zero(data, sizeof(data));
    check("strict_recovered", blk_request(blk, 0, 5, 512, 1) == 0 && tag_ok());
}

static void test_rng(unsigned long rng)
{
    uint32_t len = 0;
    int nonzero = 0;

    dev_init(rng, F_VERSION_1, QSIZE);
    zero(data, 64);
    set_desc(&desc[0], (unsigned long)data, 64, D_WRITE, 0);
    publish(rng, 0);
    check("rng_used", wait_device(rng, &len) == GOT_USED);
    check_eq("rng_len", len, 64);
    for (int i = 0; i < 64; i++) {
        nonzero |= data[i];
    }
    check("rng_bytes", nonzero != 0);
    /* A buffer outside RAM. */
    dev_init(rng, F_VERSION_1, QSIZE);
    set_desc(&desc[0], HOLE_ADDR, 64, D_WRITE, 0);
    publish(rng, 0);
    check_needs_reset("strict_rng_dma_hole", rng);
    wr(rng, R_STATUS, 0);
}


void test_main(void)
{
    unsigned long blk = find_device(2), rng = find_device(4);

    check("found_blk", blk != 0);
    check("found_rng", rng != 0);
    if (!blk || rd(blk, R_VERSION) != 2) {
        puts_uart("virtio-hostile: needs a version 2 virtio-blk device\n");
        return;
    }
    test_registers(blk);
    test_blk_requests(blk);
    test_blk_hostile(blk);
    test_blk_strict(blk);
    if (rng) {
        test_rng(rng);
    }
    wr(blk, R_STATUS, 0);
}
