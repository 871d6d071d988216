/*
 * The big lock (QEMU's BQL): whoever touches device state holds it.
 *
 * The vCPU thread runs translated code without it and takes it around
 * I/O callbacks (the memory API does that); the main thread does not hold
 * it while it sleeps in the event loop, so every callback it runs for
 * devices (timers, bottom halves, fd handlers) takes it.  The helpers
 * below make such callbacks: they run on the main loop with the lock held.
 */
#ifndef MORPH_SYSTEM_BQL_H
#define MORPH_SYSTEM_BQL_H

#include <stdbool.h>
#include <pthread.h>
#include "util/main-loop.h"

void bql_lock(void);
void bql_unlock(void);
/* Does the calling thread hold it? */
bool bql_locked(void);
/* The mutex itself, for pthread_cond_wait by the vCPU thread. */
pthread_mutex_t *bql_mutex(void);
/* After pthread_cond_wait on bql_mutex() returned: the thread holds it again. */
void bql_note_reacquired(void);
/* Before pthread_cond_wait on bql_mutex(): the thread is about to give it up. */
void bql_note_released(void);

/* Timers, bottom halves and fd handlers on the main loop whose callbacks hold the lock. */
Timer *bql_timer_new(MorphClockType type, TimerCB *cb, void *opaque);
void bql_timer_free(Timer *t);
BH *bql_bh_new(BHFunc *cb, void *opaque);
void bql_bh_delete(BH *bh);
/* Main thread only; NULL for both removes the handler. */
void bql_set_fd_handler(int fd, IOHandler *on_read, IOHandler *on_write, void *opaque);

#endif
