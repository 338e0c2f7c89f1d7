#include "DenseKernels.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DK_X86 1
#endif

long dk_packed_count(long rows, long dim) {
    long panels = (rows + DK_PANEL - 1) / DK_PANEL;
    return panels * DK_PANEL * dim;
}

void dk_pack_f32(const float *vectors, long rows, long dim, float *out) {
    long panels = (rows + DK_PANEL - 1) / DK_PANEL;
    for (long p = 0; p < panels; p++) {
        float *dst = out + p * DK_PANEL * dim;
        long n = rows - p * DK_PANEL;
        if (n > DK_PANEL) n = DK_PANEL;
        if (n < DK_PANEL) memset(dst, 0, sizeof(float) * DK_PANEL * dim);
        for (long j = 0; j < n; j++) {
            const float *src = vectors + (p * DK_PANEL + j) * dim;
            for (long k = 0; k < dim; k++) dst[k * DK_PANEL + j] = src[k];
        }
    }
}

void dk_pack_i8(const int8_t *codes, long rows, long dim, float *out) {
    long panels = (rows + DK_PANEL - 1) / DK_PANEL;
    for (long p = 0; p < panels; p++) {
        float *dst = out + p * DK_PANEL * dim;
        long n = rows - p * DK_PANEL;
        if (n > DK_PANEL) n = DK_PANEL;
        if (n < DK_PANEL) memset(dst, 0, sizeof(float) * DK_PANEL * dim);
        for (long j = 0; j < n; j++) {
            const int8_t *src = codes + (p * DK_PANEL + j) * dim;
            for (long k = 0; k < dim; k++) dst[k * DK_PANEL + j] = (float)src[k];
        }
    }
}

void dk_scores_scalar(const float *queries, long nq, long dim, const float *packed, long rows,
                      float *scores, long ldc) {
    long panels = (rows + DK_PANEL - 1) / DK_PANEL;
    for (long q = 0; q < nq; q++) {
        const float *a = queries + q * dim;
        for (long p = 0; p < panels; p++) {
            const float *b = packed + p * DK_PANEL * dim;
            for (long j = 0; j < DK_PANEL; j++) {
                float acc = 0.0f;
                for (long k = 0; k < dim; k++) acc = fmaf(a[k], b[k * DK_PANEL + j], acc);
                scores[q * ldc + p * DK_PANEL + j] = acc;
            }
        }
    }
}

// Panels scored against one query tile before moving on: about 128 documents, so the panels
// stay in L2 while every query tile passes over them.
#define DK_PANELS_PER_CHUNK 8

#ifdef DK_X86
__attribute__((target("avx2,fma")))
static void tile_avx2(const float *a, long dim, const float *b, float *c, long ldc) {
    // 6 queries x 16 documents: 12 accumulators, one lane per pair, one FMA per component.
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    const float *a0 = a, *a1 = a + dim, *a2 = a + 2 * dim, *a3 = a + 3 * dim, *a4 = a + 4 * dim, *a5 = a + 5 * dim;
    for (long k = 0; k < dim; k++) {
        __m256 b0 = _mm256_loadu_ps(b + k * DK_PANEL), b1 = _mm256_loadu_ps(b + k * DK_PANEL + 8);
        __m256 x;
        x = _mm256_broadcast_ss(a0 + k); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
        x = _mm256_broadcast_ss(a1 + k); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
        x = _mm256_broadcast_ss(a2 + k); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
        x = _mm256_broadcast_ss(a3 + k); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
        x = _mm256_broadcast_ss(a4 + k); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
        x = _mm256_broadcast_ss(a5 + k); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    }
    _mm256_storeu_ps(c, c00); _mm256_storeu_ps(c + 8, c01); c += ldc;
    _mm256_storeu_ps(c, c10); _mm256_storeu_ps(c + 8, c11); c += ldc;
    _mm256_storeu_ps(c, c20); _mm256_storeu_ps(c + 8, c21); c += ldc;
    _mm256_storeu_ps(c, c30); _mm256_storeu_ps(c + 8, c31); c += ldc;
    _mm256_storeu_ps(c, c40); _mm256_storeu_ps(c + 8, c41); c += ldc;
    _mm256_storeu_ps(c, c50); _mm256_storeu_ps(c + 8, c51);
}

__attribute__((target("avx512f")))
static void tile_avx512(const float *a, long dim, const float *b0p, const float *b1p, float *c, long ldc) {
    // 6 queries x 2 panels (32 documents): 12 accumulators of 16 lanes.
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
    __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
    __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
    __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
    const float *a0 = a, *a1 = a + dim, *a2 = a + 2 * dim, *a3 = a + 3 * dim, *a4 = a + 4 * dim, *a5 = a + 5 * dim;
    for (long k = 0; k < dim; k++) {
        __m512 b0 = _mm512_loadu_ps(b0p + k * DK_PANEL), b1 = _mm512_loadu_ps(b1p + k * DK_PANEL);
        __m512 x;
        x = _mm512_set1_ps(a0[k]); c00 = _mm512_fmadd_ps(x, b0, c00); c01 = _mm512_fmadd_ps(x, b1, c01);
        x = _mm512_set1_ps(a1[k]); c10 = _mm512_fmadd_ps(x, b0, c10); c11 = _mm512_fmadd_ps(x, b1, c11);
        x = _mm512_set1_ps(a2[k]); c20 = _mm512_fmadd_ps(x, b0, c20); c21 = _mm512_fmadd_ps(x, b1, c21);
        x = _mm512_set1_ps(a3[k]); c30 = _mm512_fmadd_ps(x, b0, c30); c31 = _mm512_fmadd_ps(x, b1, c31);
        x = _mm512_set1_ps(a4[k]); c40 = _mm512_fmadd_ps(x, b0, c40); c41 = _mm512_fmadd_ps(x, b1, c41);
        x = _mm512_set1_ps(a5[k]); c50 = _mm512_fmadd_ps(x, b0, c50); c51 = _mm512_fmadd_ps(x, b1, c51);
    }
    _mm512_storeu_ps(c, c00); _mm512_storeu_ps(c + 16, c01); c += ldc;
    _mm512_storeu_ps(c, c10); _mm512_storeu_ps(c + 16, c11); c += ldc;
    _mm512_storeu_ps(c, c20); _mm512_storeu_ps(c + 16, c21); c += ldc;
    _mm512_storeu_ps(c, c30); _mm512_storeu_ps(c + 16, c31); c += ldc;
    _mm512_storeu_ps(c, c40); _mm512_storeu_ps(c + 16, c41); c += ldc;
    _mm512_storeu_ps(c, c50); _mm512_storeu_ps(c + 16, c51);
}

static int dk_level = -1;   // 0 scalar, 1 avx2, 2 avx512

static int kernel_level(void) {
    int l = __atomic_load_n(&dk_level, __ATOMIC_RELAXED);
    if (l >= 0) return l;
    __builtin_cpu_init();
    l = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) l = 1;
    if (l == 1 && __builtin_cpu_supports("avx512f")) l = 2;
    __atomic_store_n(&dk_level, l, __ATOMIC_RELAXED);
    return l;
}
#endif

int dk_limit_kernel(int level) {
#ifdef DK_X86
    __atomic_store_n(&dk_level, -1, __ATOMIC_RELAXED);
    int l = kernel_level();
    if (level < l) l = level < 0 ? 0 : level;
    __atomic_store_n(&dk_level, l, __ATOMIC_RELAXED);
    return l;
#else
    (void)level;
    return 0;
#endif
}

const char *dk_kernel_name(void) {
#ifdef DK_X86
    switch (kernel_level()) {
    case 2: return "avx512";
    case 1: return "avx2";
    default: return "scalar";
    }
#else
    return "scalar";
#endif
}

void dk_scores(const float *queries, long nq, long dim, const float *packed, long rows,
               float *scores, long ldc) {
#ifdef DK_X86
    int level = kernel_level();
    if (level == 0 || nq % DK_QUERY_TILE != 0) {
        dk_scores_scalar(queries, nq, dim, packed, rows, scores, ldc);
        return;
    }
    long panels = (rows + DK_PANEL - 1) / DK_PANEL;
    long panelSize = DK_PANEL * dim;
    for (long p0 = 0; p0 < panels; p0 += DK_PANELS_PER_CHUNK) {
        long p1 = p0 + DK_PANELS_PER_CHUNK < panels ? p0 + DK_PANELS_PER_CHUNK : panels;
        for (long q = 0; q < nq; q += DK_QUERY_TILE) {
            const float *a = queries + q * dim;
            float *c = scores + q * ldc;
            long p = p0;
            if (level == 2) {
                for (; p + 1 < p1; p += 2)
                    tile_avx512(a, dim, packed + p * panelSize, packed + (p + 1) * panelSize, c + p * DK_PANEL, ldc);
            }
            for (; p < p1; p++) tile_avx2(a, dim, packed + p * panelSize, c + p * DK_PANEL, ldc);
        }
    }
#else
    dk_scores_scalar(queries, nq, dim, packed, rows, scores, ldc);
#endif
}
