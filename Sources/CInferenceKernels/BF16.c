// bf16 dense layers: weights rounded to bf16 at load, activations per call, products summed
// in fp32 by AVX512-BF16 vdpbf16ps (6 rows × 64 columns, pairs of k in k order).
#include "InferenceKernels.h"
#include "internal.h"
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

struct ik_bf16_weights { int n, k; uint16_t *w; };

static inline uint16_t to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffff) > 0x7f800000) return (uint16_t)((u >> 16) | 0x40); // quiet NaN
    u += 0x7fff + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

void ik_round_bf16(float *v, long count) {
    for (long i = 0; i < count; i++) {
        uint32_t u = (uint32_t)to_bf16(v[i]) << 16;
        memcpy(v + i, &u, 4);
    }
}

ik_bf16_weights *ik_bf16_pack(const float *w, int n, int k) {
    if (n <= 0 || k <= 0 || n % 16 || k % 2 || !ik_bf16_available()) return NULL;
    ik_bf16_weights *p = ik_alloc(sizeof *p);
    p->n = n, p->k = k;
    p->w = ik_alloc((size_t)n * k * 2);
    uint16_t *out = p->w;
    for (int n0 = 0; n0 < n; n0 += 64) {
        int width = n - n0 < 64 ? n - n0 : 64;
        for (int k2 = 0; k2 < k; k2 += 2)
            for (int c = 0; c < width; c++)
                for (int t = 0; t < 2; t++) *out++ = to_bf16(w[(size_t)(n0 + c) * k + k2 + t]);
    }
    return p;
}

void ik_bf16_free(ik_bf16_weights *p) {
    if (p) free(p->w), free(p);
}

void ik_bf16_gemm(const ik_bf16_weights *p, const float *x, int rows, float *y, const float *bias) {
    if (rows <= 0) return;
    size_t count = (size_t)rows * p->k;
    uint16_t *a = ik_scratch(count * 2);
    for (size_t i = 0; i < count; i++) a[i] = to_bf16(x[i]);
    ik_bf16_gemm_avx512(p->w, p->n, p->k, a, rows, y, bias);
}

#if defined(__x86_64__)
#define TBF __attribute__((target("avx512f,avx512bw,avx512bf16")))

static inline __attribute__((always_inline)) TBF void bf16_block(const int MR, const int NV, const uint16_t *a, int k,
        const uint16_t *b, const float *bias, float *y, int ldy) {
    __m512 acc[6][4];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    for (int kk = 0; kk < k; kk += 2) {
        __m512bh bv[4];
        for (int v = 0; v < NV; v++) bv[v] = (__m512bh)_mm512_loadu_si512(b + (size_t)kk * NV * 16 + v * 32);
        for (int r = 0; r < MR; r++) {
            int32_t pair;
            memcpy(&pair, a + (size_t)r * k + kk, 4);
            __m512bh av = (__m512bh)_mm512_set1_epi32(pair);
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], av, bv[v]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < NV; v++) {
            __m512 o = acc[r][v];
            if (bias) o = _mm512_add_ps(o, _mm512_loadu_ps(bias + v * 16));
            _mm512_storeu_ps(y + (size_t)r * ldy + v * 16, o);
        }
}

#define BF16_ROWS(NV)                                                                              \
    switch (mr) {                                                                                  \
    case 6: bf16_block(6, NV, ar, k, b, bs, yr, n); break;                                         \
    case 5: bf16_block(5, NV, ar, k, b, bs, yr, n); break;                                         \
    case 4: bf16_block(4, NV, ar, k, b, bs, yr, n); break;                                         \
    case 3: bf16_block(3, NV, ar, k, b, bs, yr, n); break;                                         \
    case 2: bf16_block(2, NV, ar, k, b, bs, yr, n); break;                                         \
    default: bf16_block(1, NV, ar, k, b, bs, yr, n); break;                                        \
    }

TBF void ik_bf16_gemm_avx512(const uint16_t *w, int n, int k, const uint16_t *a, int rows, float *y, const float *bias) {
    for (int n0 = 0; n0 < n; n0 += 64) {
        int nv = (n - n0 < 64 ? n - n0 : 64) / 16;
        const uint16_t *b = w + (size_t)n0 * k;
        const float *bs = bias ? bias + n0 : NULL;
        for (int r0 = 0; r0 < rows; r0 += 6) {
            int mr = rows - r0 < 6 ? rows - r0 : 6;
            const uint16_t *ar = a + (size_t)r0 * k;
            float *yr = y + (size_t)r0 * n + n0;
            switch (nv) {
            case 4: BF16_ROWS(4) break;
            case 3: BF16_ROWS(3) break;
            case 2: BF16_ROWS(2) break;
            default: BF16_ROWS(1) break;
            }
        }
    }
}
#else
void ik_bf16_gemm_avx512(const uint16_t *w, int n, int k, const uint16_t *a, int rows, float *y, const float *bias) {}
#endif
