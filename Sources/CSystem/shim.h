#ifndef INDEXER_CSYSTEM_SHIM_H
#define INDEXER_CSYSTEM_SHIM_H
/* Linux system calls that Glibc's Swift module does not expose. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include <sched.h>

/* Swaps two paths atomically (renameat2 RENAME_EXCHANGE): 0, or -1 with errno set
   (EINVAL or ENOSYS where the file system or kernel cannot). */
static inline int csystem_exchange_paths(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/* CPUs in this process's affinity mask (taskset, cpusets), or -1 with errno set. */
static inline int csystem_affinity_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    return CPU_COUNT(&set);
}
#endif
