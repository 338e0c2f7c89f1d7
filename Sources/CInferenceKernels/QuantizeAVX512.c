// AVX-512 versions of the int8 activation quantisation and of the outlier products: the same
// results as the portable loops in Int8.c, bit for bit (same IEEE operations per element, and
// the same outliers in the same order: |x| descending, then index ascending).
#include "internal.h"
#include <immintrin.h>
#include <math.h>

#if defined(__x86_64__)
#define T512 __attribute__((target("avx512f,avx512bw")))

/// The (IK_OUTLIERS+1)-th largest |row[j]| (with repeats), from per-lane top lists.
static T512 float kth_largest(const float *row, int k) {
    __m512 top[IK_OUTLIERS + 1];
    for (int t = 0; t <= IK_OUTLIERS; t++) top[t] = _mm512_set1_ps(-1);
    for (int j = 0; j < k; j += 16) {
        __m512 v = _mm512_abs_ps(_mm512_loadu_ps(row + j));
        for (int t = 0; t <= IK_OUTLIERS; t++) {
            __m512 hi = _mm512_max_ps(top[t], v);
            v = _mm512_min_ps(top[t], v);
            top[t] = hi;
        }
    }
    float c[16 * (IK_OUTLIERS + 1)], best[IK_OUTLIERS + 1];
    for (int t = 0; t <= IK_OUTLIERS; t++) _mm512_storeu_ps(c + 16 * t, top[t]), best[t] = -1;
    for (int i = 0; i < 16 * (IK_OUTLIERS + 1); i++) {
        float v = c[i];
        if (!(v > best[IK_OUTLIERS])) continue;
        int t = IK_OUTLIERS;
        while (t > 0 && v > best[t - 1]) best[t] = best[t - 1], t--;
        best[t] = v;
    }
    return best[IK_OUTLIERS];
}

/// The outliers given the threshold t5: every |x| > t5, then |x| == t5 by index, sorted.
static T512 void collect(const float *row, int k, float t5, int32_t *idx) {
    int32_t at[IK_OUTLIERS];
    float av[IK_OUTLIERS];
    int n = 0;
    __m512 thr = _mm512_set1_ps(t5);
    for (int pass = 0; pass < 2 && n < IK_OUTLIERS; pass++)
        for (int j = 0; j < k && n < IK_OUTLIERS; j += 16) {
            __m512 v = _mm512_abs_ps(_mm512_loadu_ps(row + j));
            __mmask16 m = pass == 0 ? _mm512_cmp_ps_mask(v, thr, _CMP_GT_OQ) : _mm512_cmp_ps_mask(v, thr, _CMP_EQ_OQ);
            while (m && n < IK_OUTLIERS) {
                int b = __builtin_ctz(m);
                m &= m - 1;
                at[n] = j + b, av[n] = fabsf(row[j + b]), n++;
            }
        }
    for (int i = 1; i < n; i++) // insertion sort: |x| descending, index ascending
        for (int t = i; t > 0 && (av[t] > av[t - 1] || (av[t] == av[t - 1] && at[t] < at[t - 1])); t--) {
            float fv = av[t]; av[t] = av[t - 1]; av[t - 1] = fv;
            int32_t iv = at[t]; at[t] = at[t - 1]; at[t - 1] = iv;
        }
    for (int t = 0; t < IK_OUTLIERS; t++) idx[t] = t < n ? at[t] : -1;
}

T512 void ik_quantize_rows_avx512(const float *x, int rows, int k, uint8_t *a, float *sa, int32_t *oidx, float *oval) {
    const __m512 magic = _mm512_set1_ps(12582912.0f), hi = _mm512_set1_ps(127), lo = _mm512_set1_ps(-127);
    const __m512i off = _mm512_set1_epi32(128);
    for (int r = 0; r < rows; r++) {
        const float *row = x + (size_t)r * k;
        uint8_t *out = a + (size_t)r * k;
        int32_t *idx = oidx + (size_t)r * IK_OUTLIERS;
        float t5 = kth_largest(row, k);
        collect(row, k, t5, idx);
        float amax = t5 > 0 ? t5 : 0;
        sa[r] = amax / 127.0f;
        __m512 inv = _mm512_set1_ps(amax > 0 ? 127.0f / amax : 0);
        for (int j = 0; j < k; j += 16) {
            __m512 q = _mm512_sub_ps(_mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(row + j), inv), magic), magic);
            q = _mm512_max_ps(_mm512_min_ps(q, hi), lo);
            __m512i u = _mm512_add_epi32(_mm512_cvtps_epi32(q), off);
            _mm_storeu_si128((__m128i *)(out + j), _mm512_cvtepi32_epi8(u));
        }
        for (int t = 0; t < IK_OUTLIERS; t++) {
            oval[(size_t)r * IK_OUTLIERS + t] = idx[t] >= 0 ? row[idx[t]] : 0;
            if (idx[t] >= 0) out[idx[t]] = 128;
        }
    }
}

T512 void ik_add_outliers_avx512(const float *wt, int n, int rows, const int32_t *oidx, const float *oval, float *y) {
    for (int r = 0; r < rows; r++) {
        float *yr = y + (size_t)r * n;
        for (int t = 0; t < IK_OUTLIERS; t++) {
            int32_t j = oidx[(size_t)r * IK_OUTLIERS + t];
            if (j < 0) continue;
            __m512 v = _mm512_set1_ps(oval[(size_t)r * IK_OUTLIERS + t]);
            const float *wj = wt + (size_t)j * n;
            for (int c = 0; c < n; c += 16)
                _mm512_storeu_ps(yr + c, _mm512_add_ps(_mm512_loadu_ps(yr + c), _mm512_mul_ps(v, _mm512_loadu_ps(wj + c))));
        }
    }
}
#else
void ik_quantize_rows_avx512(const float *x, int rows, int k, uint8_t *a, float *sa, int32_t *oidx, float *oval) {}
void ik_add_outliers_avx512(const float *wt, int n, int rows, const int32_t *oidx, const float *oval, float *y) {}
#endif
