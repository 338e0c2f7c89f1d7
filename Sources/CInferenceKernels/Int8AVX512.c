// int8 micro-kernels: AVX-512 VNNI (vpdpbusd, 6 rows × 64 columns) and AVX2 (vpmaddwd on
// int16, 4 rows × 16 columns). Both compute exact int32 sums, so they agree bitwise with
// each other and with the portable loop; the epilogue is the same IEEE sequence.
#include "internal.h"
#include <immintrin.h>
#include <string.h>

#if defined(__x86_64__)
#define T512 __attribute__((target("avx512f,avx512bw,avx512vnni")))
#define T256 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

static inline int32_t load32(const uint8_t *p) { int32_t v; memcpy(&v, p, 4); return v; }

INLINE T512 void vnni_block(const int MR, const int NV, const uint8_t *a, int k, const int8_t *b,
                            const float *sa, const float *sw, const int32_t *comp, const float *bias,
                            float *y, int ldy) {
    __m512i acc[6][4];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_si512();
    for (int kk = 0; kk < k; kk += 4) {
        __m512i bv[4];
        for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_si512(b + (size_t)kk * NV * 16 + v * 64);
        for (int r = 0; r < MR; r++) {
            __m512i av = _mm512_set1_epi32(load32(a + (size_t)r * k + kk));
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], av, bv[v]);
        }
    }
    for (int r = 0; r < MR; r++) {
        __m512 s = _mm512_set1_ps(sa[r]);
        for (int v = 0; v < NV; v++) {
            __m512i c = _mm512_loadu_si512(comp + v * 16);
            __m512 o = _mm512_mul_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][v], c)), s),
                                     _mm512_loadu_ps(sw + v * 16));
            if (bias) o = _mm512_add_ps(o, _mm512_loadu_ps(bias + v * 16));
            _mm512_storeu_ps(y + (size_t)r * ldy + v * 16, o);
        }
    }
}

#define VNNI_ROWS(NV)                                                                              \
    switch (mr) {                                                                                  \
    case 6: vnni_block(6, NV, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;                      \
    case 5: vnni_block(5, NV, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;                      \
    case 4: vnni_block(4, NV, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;                      \
    case 3: vnni_block(3, NV, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;                      \
    case 2: vnni_block(2, NV, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;                      \
    default: vnni_block(1, NV, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;                     \
    }

T512 void ik_int8_gemm_avx512(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows,
                              float *y, const float *bias) {
    int n = p->n, k = p->k;
    for (int n0 = 0; n0 < n; n0 += 64) {
        int nv = (n - n0 < 64 ? n - n0 : 64) / 16;
        const int8_t *b = p->w8 + (size_t)n0 * k;
        const float *sw = p->scale + n0, *bs = bias ? bias + n0 : NULL;
        const int32_t *comp = p->comp + n0;
        for (int r0 = 0; r0 < rows; r0 += 6) {
            int mr = rows - r0 < 6 ? rows - r0 : 6;
            const uint8_t *ar = a + (size_t)r0 * k;
            float *yr = y + (size_t)r0 * n + n0;
            switch (nv) {
            case 4: VNNI_ROWS(4) break;
            case 3: VNNI_ROWS(3) break;
            case 2: VNNI_ROWS(2) break;
            default: VNNI_ROWS(1) break;
            }
        }
    }
}

static inline int32_t pair16(const uint8_t *p) { return (int32_t)p[0] | ((int32_t)p[1] << 16); }

INLINE T256 void avx2_block(const int MR, const uint8_t *a, int k, const int16_t *b, const float *sa,
                            const float *sw, const int32_t *comp, const float *bias, float *y, int ldy) {
    __m256i acc[4][2];
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (int kk = 0; kk < k; kk += 2) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + (size_t)kk * 16));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(b + (size_t)kk * 16 + 16));
        for (int r = 0; r < MR; r++) {
            __m256i av = _mm256_set1_epi32(pair16(a + (size_t)r * k + kk));
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(av, b0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(av, b1));
        }
    }
    for (int r = 0; r < MR; r++) {
        __m256 s = _mm256_set1_ps(sa[r]);
        for (int v = 0; v < 2; v++) {
            __m256i c = _mm256_loadu_si256((const __m256i *)(comp + v * 8));
            __m256 o = _mm256_mul_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc[r][v], c)), s),
                                     _mm256_loadu_ps(sw + v * 8));
            if (bias) o = _mm256_add_ps(o, _mm256_loadu_ps(bias + v * 8));
            _mm256_storeu_ps(y + (size_t)r * ldy + v * 8, o);
        }
    }
}

T256 void ik_int8_gemm_avx2(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows,
                            float *y, const float *bias) {
    int n = p->n, k = p->k;
    for (int n0 = 0; n0 < n; n0 += 16) {
        const int16_t *b = p->w16 + (size_t)n0 * k;
        const float *sw = p->scale + n0, *bs = bias ? bias + n0 : NULL;
        const int32_t *comp = p->comp + n0;
        for (int r0 = 0; r0 < rows; r0 += 4) {
            int mr = rows - r0 < 4 ? rows - r0 : 4;
            const uint8_t *ar = a + (size_t)r0 * k;
            float *yr = y + (size_t)r0 * n + n0;
            switch (mr) {
            case 4: avx2_block(4, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;
            case 3: avx2_block(3, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;
            case 2: avx2_block(2, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;
            default: avx2_block(1, ar, k, b, sa + r0, sw, comp, bs, yr, n); break;
            }
        }
    }
}
#else
void ik_int8_gemm_avx512(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows, float *y, const float *bias) {}
void ik_int8_gemm_avx2(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows, float *y, const float *bias) {}
#endif
