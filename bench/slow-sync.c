// Makes every fsync and fdatasync of the process it is preloaded into (LD_PRELOAD) wait
// PORTAL_BENCH_SYNC_DELAY_US microseconds longer: how `make bench` measures group commit on a
// disk whose syncs are slower than this machine's (a spinning disk, a network volume). The wait
// comes before the real sync and costs no CPU; waits of concurrent syncs follow one another, as a
// device that flushes one request at a time makes them. Not part of portald.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static long delay_us;
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static pthread_mutex_t device = PTHREAD_MUTEX_INITIALIZER;

// Before any thread of the process runs: nothing here is written concurrently.
__attribute__((constructor)) static void set_up(void) {
    const char *text = getenv("PORTAL_BENCH_SYNC_DELAY_US");
    delay_us = text ? atol(text) : 0;
    real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
}

static void wait_like_a_slower_disk(void) {
    struct timespec rest = {delay_us / 1000000, (delay_us % 1000000) * 1000};
    pthread_mutex_lock(&device);
    // Interrupted by a signal: sleep what is left.
    while (nanosleep(&rest, &rest) != 0 && errno == EINTR) {
    }
    pthread_mutex_unlock(&device);
}

int fsync(int descriptor) {
    wait_like_a_slower_disk();
    return real_fsync(descriptor);
}

int fdatasync(int descriptor) {
    wait_like_a_slower_disk();
    return real_fdatasync(descriptor);
}
