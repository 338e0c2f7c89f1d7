// int8 dense layers: weights symmetric per output channel at load; activations symmetric
// per row (token) at run time, with the row's IK_OUTLIERS largest-magnitude values taken out
// and multiplied in fp32 (dynamic outlier decomposition, docs/QUANTISATION.md); exact int32
// sums and one fp32 epilogue:
//   y = ((float)(Σ (q_a + 128)·q_w − comp) · s_a) · s_w  (+ b), then += x_o·W[:, o] per outlier
// The same expressions, in the same order, on every path (no FMA contraction: -ffp-contract=off).
#include "InferenceKernels.h"
#include "internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int8_t quantize_weight(float v, float inv) {
    float q = rintf(v * inv);
    if (q > 127) q = 127;
    if (q < -127) q = -127;
    return (int8_t)q;
}

/// Row-major int8 weights and their per-row scales.
static int8_t *quantize_weights(const float *w, int n, int k, float *scale) {
    int8_t *q = ik_alloc((size_t)n * k);
    for (int i = 0; i < n; i++) {
        const float *row = w + (size_t)i * k;
        float amax = 0;
        for (int j = 0; j < k; j++) {
            float v = fabsf(row[j]);
            if (v > amax) amax = v;
        }
        scale[i] = amax / 127.0f;
        float inv = amax > 0 ? 127.0f / amax : 0;
        for (int j = 0; j < k; j++) q[(size_t)i * k + j] = quantize_weight(row[j], inv);
    }
    return q;
}

static void pack_avx512(struct ik_int8_weights *p, const int8_t *q) {
    int n = p->n, k = p->k;
    p->w8 = ik_alloc((size_t)n * k);
    int8_t *out = p->w8;
    for (int n0 = 0; n0 < n; n0 += 64) {
        int w = n - n0 < 64 ? n - n0 : 64;
        for (int k4 = 0; k4 < k; k4 += 4)
            for (int c = 0; c < w; c++)
                for (int t = 0; t < 4; t++) *out++ = q[(size_t)(n0 + c) * k + k4 + t];
    }
}

static void pack_avx2(struct ik_int8_weights *p, const int8_t *q) {
    int n = p->n, k = p->k;
    p->w16 = ik_alloc((size_t)n * k * 2);
    int16_t *out = p->w16;
    for (int n0 = 0; n0 < n; n0 += 16)
        for (int k2 = 0; k2 < k; k2 += 2)
            for (int c = 0; c < 16; c++)
                for (int t = 0; t < 2; t++) *out++ = q[(size_t)(n0 + c) * k + k2 + t];
}

ik_int8_weights *ik_int8_pack(const float *w, int n, int k) {
    if (n <= 0 || k <= 0 || n % 16 || k % 4) return NULL;
    struct ik_int8_weights *p = ik_alloc(sizeof *p);
    p->n = n, p->k = k, p->path = ik_int8_path();
    p->scale = ik_alloc(sizeof(float) * n);
    p->comp = ik_alloc(sizeof(int32_t) * n);
    int8_t *q = quantize_weights(w, n, k, p->scale);
    for (int i = 0; i < n; i++) {
        int32_t s = 0;
        for (int j = 0; j < k; j++) s += q[(size_t)i * k + j];
        p->comp[i] = 128 * s;
    }
    p->wt = ik_alloc(sizeof(float) * (size_t)n * k);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++) p->wt[(size_t)j * n + i] = w[(size_t)i * k + j];
    if (p->path == IK_AVX512) pack_avx512(p, q), free(q);
    else if (p->path == IK_AVX2) pack_avx2(p, q), free(q);
    else p->w8 = q;
    return p;
}

void ik_int8_free(ik_int8_weights *p) {
    if (!p) return;
    free(p->w8), free(p->w16), free(p->scale), free(p->comp), free(p->wt), free(p);
}

/// Round to nearest even for |v| < 2^22 without a libm call (vectorises at any -m level;
/// needs IEEE arithmetic, no -ffast-math).
static inline float round_even(float v) {
    const float magic = 12582912.0f; // 1.5 × 2^23
    return (v + magic) - magic;
}

/// Indices of the IK_OUTLIERS largest |row[j]| (ties: lower index first), largest first,
/// and the largest |row[j]| of the rest.
static float find_outliers(const float *row, int k, int32_t *idx) {
    float top[IK_OUTLIERS + 1];
    int32_t at[IK_OUTLIERS + 1];
    for (int t = 0; t <= IK_OUTLIERS; t++) top[t] = -1, at[t] = -1;
    for (int j = 0; j < k; j++) {
        float v = fabsf(row[j]);
        if (!(v > top[IK_OUTLIERS])) continue;
        int t = IK_OUTLIERS;
        while (t > 0 && v > top[t - 1]) top[t] = top[t - 1], at[t] = at[t - 1], t--;
        top[t] = v, at[t] = j;
    }
    for (int t = 0; t < IK_OUTLIERS; t++) idx[t] = at[t];
    return top[IK_OUTLIERS] > 0 ? top[IK_OUTLIERS] : 0;
}

void ik_quantize_rows(const float *x, int rows, int k, uint8_t *a, float *sa, int32_t *oidx, float *oval) {
    for (int r = 0; r < rows; r++) {
        const float *row = x + (size_t)r * k;
        uint8_t *out = a + (size_t)r * k;
        int32_t *idx = oidx + (size_t)r * IK_OUTLIERS;
        float amax = find_outliers(row, k, idx);
        sa[r] = amax / 127.0f;
        float inv = amax > 0 ? 127.0f / amax : 0;
        for (int j = 0; j < k; j++) {
            float q = round_even(row[j] * inv);
            q = q > 127 ? 127 : (q < -127 ? -127 : q);
            out[j] = (uint8_t)((int)q + 128);
        }
        for (int t = 0; t < IK_OUTLIERS; t++) {
            oval[(size_t)r * IK_OUTLIERS + t] = idx[t] >= 0 ? row[idx[t]] : 0;
            if (idx[t] >= 0) out[idx[t]] = 128;
        }
    }
}

/// Adds the outliers' exact fp32 products, largest first: y[r] += x[r][j]·W[:, j].
static void add_outliers(const struct ik_int8_weights *p, int rows, const int32_t *oidx, const float *oval, float *y) {
    int n = p->n;
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < IK_OUTLIERS; t++) {
            int32_t j = oidx[(size_t)r * IK_OUTLIERS + t];
            if (j < 0) continue;
            float v = oval[(size_t)r * IK_OUTLIERS + t];
            const float *wj = p->wt + (size_t)j * n;
            float *yr = y + (size_t)r * n;
            for (int c = 0; c < n; c++) yr[c] = yr[c] + v * wj[c];
        }
}

static void gemm_portable(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows, float *y, const float *bias) {
    int n = p->n, k = p->k;
    for (int r = 0; r < rows; r++) {
        const uint8_t *ar = a + (size_t)r * k;
        for (int c = 0; c < n; c++) {
            const int8_t *wc = p->w8 + (size_t)c * k;
            int32_t acc = 0;
            for (int j = 0; j < k; j++) acc += (int32_t)ar[j] * wc[j];
            float v = (float)(acc - p->comp[c]) * sa[r] * p->scale[c];
            y[(size_t)r * n + c] = bias ? v + bias[c] : v;
        }
    }
}

void ik_int8_gemm(const ik_int8_weights *p, const float *x, int rows, float *y, const float *bias) {
    if (rows <= 0) return;
    size_t abytes = ((size_t)rows * p->k + 63) & ~(size_t)63;
    uint8_t *a = ik_scratch(abytes + (sizeof(float) * (1 + 2 * IK_OUTLIERS)) * rows);
    float *sa = (float *)(a + abytes), *oval = sa + rows;
    int32_t *oidx = (int32_t *)(oval + (size_t)rows * IK_OUTLIERS);
    int wide = p->path == IK_AVX512 && p->k % 16 == 0 && p->k >= 16 * (IK_OUTLIERS + 1);
    if (wide) ik_quantize_rows_avx512(x, rows, p->k, a, sa, oidx, oval);
    else ik_quantize_rows(x, rows, p->k, a, sa, oidx, oval);
    if (p->path == IK_AVX512) ik_int8_gemm_avx512(p, a, sa, rows, y, bias);
    else if (p->path == IK_AVX2) ik_int8_gemm_avx2(p, a, sa, rows, y, bias);
    else gemm_portable(p, a, sa, rows, y, bias);
    if (p->path == IK_AVX512) ik_add_outliers_avx512(p->wt, p->n, rows, oidx, oval, y);
    else add_outliers(p, rows, oidx, oval, y);
}
