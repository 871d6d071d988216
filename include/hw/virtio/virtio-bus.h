/*
 * virtio front ends in the device model (hw/virtio/virtio-bus.c): what the
 * system layer tells them about the back ends it opened from the command
 * line.
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_BUS_H
#define MORPH_HW_VIRTIO_VIRTIO_BUS_H

#include <stdbool.h>

#include "block/block.h"
#include "util/error.h"

/* A -drive opened by the system layer, found by virtio-blk-device,drive=ID. */
void virtio_bus_add_drive(const char *id, BlockBackend *blk);
/* Create a virtio-net-device for every -nic (after -device, as QEMU does). */
bool virtio_bus_create_nics(Error **errp);

#endif
