/*
 * The power button of system_powerdown (system/powerdown.c).
 */
#ifndef MORPH_SYSTEM_POWERDOWN_H
#define MORPH_SYSTEM_POWERDOWN_H

#include "hw/boards.h"

/* Press the machine's power button (main loop, big lock held). */
void system_powerdown_press(MachineState *ms);

#endif
