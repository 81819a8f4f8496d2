/*
 * Counts OpenMP parallel regions (libgomp's GOMP_parallel), by calling function, for the
 * "regions per step" profile in PERFORMANCE.md. Not part of the build.
 *
 *   gcc -O2 -shared -fPIC -o /tmp/libgompcount.so cvr-backend-djl/bench/gomp-count.c -ldl -lpthread
 *   export GOMP_LIB=$HOME/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64/libgomp-98b21ff3.so.1
 *   LD_PRELOAD=/tmp/libgompcount.so java ... org.causalcvr.cli.Cvr bench --json \
 *       --match-reference --estimator multi-dr --batch 1024 --steps 20 --warmup 5
 *   (again with --steps 40; regions per step = (count at 40 - count at 20) / 20)
 *
 * At exit it prints the total and one "SITE count symbol" line per calling site (the nearest
 * exported symbol two frames up, "?" for ATen's internal kernels); c++filt demangles them.
 * libtorch loads libgomp privately (dlopen), so the real GOMP_parallel is looked up in the
 * library GOMP_LIB names.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*parallel_fn)(void (*)(void *), void *, unsigned, unsigned);

#define MAX_SITES 4096
static parallel_fn real_parallel;
static void *sites[MAX_SITES];
static long counts[MAX_SITES];
static int site_count;
static long total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags) {
    if (!real_parallel) {
        const char *lib = getenv("GOMP_LIB");
        void *handle = lib ? dlopen(lib, RTLD_NOW | RTLD_NOLOAD) : NULL;
        real_parallel = (parallel_fn) dlsym(handle ? handle : RTLD_NEXT, "GOMP_parallel");
    }
    void *frames[4];
    int depth = backtrace(frames, 4);
    void *site = depth > 2 ? frames[2] : (void *) fn;
    pthread_mutex_lock(&lock);
    total++;
    int i = 0;
    while (i < site_count && sites[i] != site) {
        i++;
    }
    if (i == site_count && site_count < MAX_SITES) {
        sites[site_count++] = site;
    }
    if (i < MAX_SITES) {
        counts[i]++;
    }
    pthread_mutex_unlock(&lock);
    real_parallel(fn, data, threads, flags);
}

__attribute__((destructor)) static void report(void) {
    fprintf(stderr, "GOMP_parallel calls: %ld\n", total);
    for (int i = 0; i < site_count; i++) {
        Dl_info info;
        const char *name = "?";
        if (dladdr(sites[i], &info) && info.dli_sname) {
            name = info.dli_sname;
        }
        fprintf(stderr, "SITE %ld %s\n", counts[i], name);
    }
}
