// Makes every fsync and fdatasync of the process it is preloaded into (LD_PRELOAD) wait
// PORTAL_BENCH_SYNC_DELAY_US microseconds longer: how `make bench` measures group commit on a
// disk whose syncs are slower than this machine's (a spinning disk, a network volume). The wait
// comes before the real sync, as a slow device's would, and costs no CPU. Not part of portald.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

static void wait_like_a_slower_disk(void) {
    // Read once; threads racing here read the same value.
    static long delay = -1;
    if (delay < 0) {
        const char *text = getenv("PORTAL_BENCH_SYNC_DELAY_US");
        delay = text ? atol(text) : 0;
    }
    struct timespec rest = {delay / 1000000, (delay % 1000000) * 1000};
    // Interrupted by a signal: sleep what is left.
    while (nanosleep(&rest, &rest) != 0 && errno == EINTR) {
    }
}

int fsync(int descriptor) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    wait_like_a_slower_disk();
    return real(descriptor);
}

int fdatasync(int descriptor) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    wait_like_a_slower_disk();
    return real(descriptor);
}
