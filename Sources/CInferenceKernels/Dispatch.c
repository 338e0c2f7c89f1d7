// Run-time choice of the instruction-set path, and per-thread scratch memory.
#include "InferenceKernels.h"
#include "internal.h"
#include <stdlib.h>
#include <string.h>

static int forced = -1;

void ik_force_isa(const char *name) {
    if (!name) forced = -1;
    else if (!strcmp(name, "avx512")) forced = IK_AVX512;
    else if (!strcmp(name, "avx2")) forced = IK_AVX2;
    else forced = IK_PORTABLE;
}

static int env_forced(void) {
    const char *e = getenv("INDEXER_ISA");
    if (!e || !*e) return -1;
    if (!strcmp(e, "avx512")) return IK_AVX512;
    if (!strcmp(e, "avx2")) return IK_AVX2;
    return IK_PORTABLE;
}

static int detected_int8(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni"))
        return IK_AVX512;
    if (__builtin_cpu_supports("avx2")) return IK_AVX2;
#endif
    return IK_PORTABLE;
}

static int detected_bf16(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512bf16"))
        return IK_AVX512;
#endif
    return IK_PORTABLE;
}

static int capped(int want, int have) {
    return want < 0 ? have : (want < have ? want : have);
}

int ik_int8_path(void) {
    int f = forced >= 0 ? forced : env_forced();
    return capped(f, detected_int8());
}

int ik_bf16_path(void) {
    int f = forced >= 0 ? forced : env_forced();
    return capped(f, detected_bf16()) == IK_AVX512 ? IK_AVX512 : IK_PORTABLE;
}

const char *ik_int8_isa(void) {
    switch (ik_int8_path()) {
    case IK_AVX512: return "avx512-vnni";
    case IK_AVX2: return "avx2";
    default: return "portable";
    }
}

const char *ik_bf16_isa(void) { return ik_bf16_path() == IK_AVX512 ? "avx512-bf16" : "fp32-fallback"; }

int ik_bf16_available(void) { return ik_bf16_path() == IK_AVX512; }

static int detected_elementwise(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return IK_AVX512;
#endif
    return IK_PORTABLE;
}

int ik_activations_avx512(void) {
    int f = forced >= 0 ? forced : env_forced();
    return capped(f, detected_elementwise()) == IK_AVX512;
}

const char *ik_blas_core_for_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                 __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    if (avx512 && __builtin_cpu_supports("avx512bf16")) return "Cooperlake";
    if (avx512) return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return 0;
}

static _Thread_local void *scratch;
static _Thread_local size_t scratch_size;

void *ik_scratch(size_t bytes) {
    if (bytes > scratch_size) {
        free(scratch);
        size_t size = (bytes + 4095) & ~(size_t)4095;
        scratch = aligned_alloc(64, size);
        if (!scratch) abort();
        scratch_size = size;
    }
    return scratch;
}

void *ik_alloc(size_t bytes) {
    size_t size = ((bytes ? bytes : 1) + 63) & ~(size_t)63;
    void *p = aligned_alloc(64, size);
    if (!p) abort();
    memset(p, 0, size);
    return p;
}
