/*
 * Interrupt lines between devices (QEMU's qemu_irq): a device drives a
 * line's level; whatever is wired to it (an interrupt controller input, a
 * CPU's interrupt pin) gets a callback with the line's number and level.
 * Lines are levels, not edges: a device keeps its line up while its cause
 * lasts.  Callbacks run in the caller's thread with the big lock held.
 */
#ifndef MORPH_HW_IRQ_H
#define MORPH_HW_IRQ_H

typedef struct IRQState *qemu_irq;
typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

/* A line that calls handler(opaque, n, level); free with qemu_free_irq. */
qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);
/* Drive the line (an unconnected line, NULL, is ignored). */
void qemu_set_irq(qemu_irq irq, int level);

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

#endif
