// AVX-512 versions of the encoder's elementwise kernels: exact GELU (erf) with its bias, and
// the attention softmax. They repeat the Swift reference (Inference/Kernels/Erf.swift and
// Softmax.swift, 8-lane SIMD, AVX2 on x86-64) operation for operation: separate
// multiplies and adds (no FMA contraction), the same constants to the bit, the same order of
// the softmax sums. The results are therefore bitwise those of the Swift code, on any CPU, and
// the cross-ISA promises of docs/QUANTISATION.md keep holding; only the width changes (16
// lanes instead of 8).
#include "InferenceKernels.h"
#include "internal.h"
#include <immintrin.h>
#include <math.h>

#pragma clang fp contract(off)

#if defined(__x86_64__)
#define T512 __attribute__((target("avx512f,avx512dq,avx512vl")))
#define INLINE static inline __attribute__((always_inline))

INLINE T512 __m512 k32(uint32_t bits) { return _mm512_castsi512_ps(_mm512_set1_epi32((int)bits)); }
INLINE T512 __m512 mul(__m512 a, __m512 b) { return _mm512_mul_ps(a, b); }
INLINE T512 __m512 add(__m512 a, __m512 b) { return _mm512_add_ps(a, b); }
INLINE T512 __m512 sub(__m512 a, __m512 b) { return _mm512_sub_ps(a, b); }

// vectorExp: Cephes' reduction x = n·ln2 + r, a degree-6 polynomial, 2^n in the exponent.
INLINE T512 __m512 exp16(__m512 x0) {
    __m512 lo = k32(0xc2ae999au), hi = k32(0x42b16666u), magic = k32(0x4b400000u);
    __mmask16 under = _mm512_cmp_ps_mask(x0, lo, _CMP_LT_OQ), over = _mm512_cmp_ps_mask(x0, hi, _CMP_GT_OQ);
    __m512 x = _mm512_mask_blend_ps(under, x0, lo);
    x = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, hi, _CMP_GT_OQ), x, hi);
    __m512 shifted = add(mul(x, k32(0x3fb8aa3bu)), magic);
    __m512 n = sub(shifted, magic);
    __m512 r = sub(x, mul(n, k32(0x3f318000u)));
    r = add(r, mul(n, k32(0x395e8083u)));
    __m512 p = k32(0x39506967u);
    p = add(mul(p, r), k32(0x3ab743ceu));
    p = add(mul(p, r), k32(0x3c088908u));
    p = add(mul(p, r), k32(0x3d2aa9c1u));
    p = add(mul(p, r), k32(0x3e2aaaaau));
    p = add(mul(p, r), k32(0x3f000000u));
    __m512 y = add(add(mul(p, mul(r, r)), r), k32(0x3f800000u));
    __m512i ni = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_castps_si512(magic));
    __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(ni, _mm512_set1_epi32(127)), 23));
    __m512 out = mul(y, scale);
    out = _mm512_mask_blend_ps(under, out, _mm512_setzero_ps());
    return _mm512_mask_blend_ps(over, out, k32(0x7f800000u));
}

#define POLY(p, s, c) p = add(mul(p, s), k32(c))
#define POLYM(p, s, c) p = sub(mul(p, s), k32(c))

// vectorErf: three polynomial pieces selected by |x|, 1 beyond 3.92, NaN kept.
INLINE T512 __m512 erf16(__m512 x) {
    __m512 zero = _mm512_setzero_ps(), one = k32(0x3f800000u), sign = k32(0x80000000u);
    __mmask16 neg = _mm512_cmp_ps_mask(x, zero, _CMP_LT_OQ);
    __m512 a = _mm512_mask_blend_ps(neg, x, _mm512_xor_ps(x, sign));
    __m512 t = mul(a, a);
    __m512 p1 = k32(0xba21106eu);
    POLY(p1, t, 0x3ba49a6bu); POLYM(p1, t, 0x3cdb7141u); POLY(p1, t, 0x3de71051u);
    POLYM(p1, t, 0x3ec09387u); POLY(p1, t, 0x3f906ebau);
    __m512 r1 = mul(a, p1);
    __m512 s2 = sub(a, k32(0x3fc66666u));
    __m512 p2 = k32(0xbab790cbu);
    POLY(p2, s2, 0x3ae9a1e6u); POLY(p2, s2, 0x3bb242f6u); POLYM(p2, s2, 0x3c8ffb5eu);
    POLY(p2, s2, 0x3c1931efu); POLY(p2, s2, 0x3d430dcbu); POLYM(p2, s2, 0x3e049e0bu);
    POLY(p2, s2, 0x3e221102u); POLYM(p2, s2, 0x3dd11e54u); POLY(p2, s2, 0x3ce87773u);
    __m512 s3 = sub(a, k32(0x4043d70au));
    __m512 p3 = k32(0x38d60655u);
    POLYM(p3, s3, 0x39b60106u); POLY(p3, s3, 0x3a1e2f29u); POLYM(p3, s3, 0x3a4a29fau);
    POLY(p3, s3, 0x3a4a62d8u); POLYM(p3, s3, 0x3a1647a1u); POLY(p3, s3, 0x399b8612u);
    POLYM(p3, s3, 0x38cae3d5u); POLY(p3, s3, 0x377cec18u);
    __m512 r = sub(one, p3);
    r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, k32(0x400ccccdu), _CMP_LT_OQ), r, sub(one, p2));
    r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, k32(0x3f666666u), _CMP_LT_OQ), r, r1);
    r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, k32(0x407ae148u), _CMP_NLT_UQ), r, one);
    r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_NEQ_UQ), r, x);
    return _mm512_mask_blend_ps(neg, r, _mm512_xor_ps(r, sign));
}

INLINE T512 __m512 gelu16(__m512 x) {
    __m512 e = erf16(mul(x, k32(0x3f3504f3u)));
    return mul(mul(x, k32(0x3f000000u)), add(e, k32(0x3f800000u)));
}

T512 void ik_bias_gelu_avx512(float *x, int rows, int n, const float *bias) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * n;
        for (int i = 0; i < n; i += 16) {
            __mmask16 m = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1);
            __m512 v = add(_mm512_maskz_loadu_ps(m, row + i), _mm512_maskz_loadu_ps(m, bias + i));
            _mm512_mask_storeu_ps(row + i, m, gelu16(v));
        }
    }
}

// The Swift softmax: the max over the row (8-lane compares, then the tail), e^(x - max) with
// the sum kept in 8 lanes, each lane taking its elements in order (the low half of a 16-lane
// chunk before its high half), the lanes added 0..7, then one reciprocal multiply.
T512 void ik_softmax_rows_avx512(float *x, int rows, int n, int ld) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * ld;
        int full = n & ~7;
        __m256 m8 = _mm256_set1_ps(-INFINITY);
        for (int i = 0; i < full; i += 8) {
            __m256 v = _mm256_loadu_ps(row + i);
            m8 = _mm256_mask_blend_ps(_mm256_cmp_ps_mask(v, m8, _CMP_GT_OQ), m8, v);
        }
        float lanes[8];
        _mm256_storeu_ps(lanes, m8);
        float mx = lanes[0];
        for (int j = 1; j < 8; j++) mx = lanes[j] > mx ? lanes[j] : mx;
        for (int i = full; i < n; i++) mx = row[i] > mx ? row[i] : mx;  // Swift.max(mx, v)
        __m512 mv = _mm512_set1_ps(mx);
        __m256 acc = _mm256_setzero_ps();
        int i = 0;
        for (; i + 16 <= full; i += 16) {
            __m512 e = exp16(sub(_mm512_loadu_ps(row + i), mv));
            _mm512_storeu_ps(row + i, e);
            acc = _mm256_add_ps(acc, _mm512_castps512_ps256(e));
            acc = _mm256_add_ps(acc, _mm512_extractf32x8_ps(e, 1));
        }
        if (i < n) {
            // The last 8-lane chunk and the partial one, padded with e^-inf = 0 as in Swift.
            int left = n - i;
            __mmask16 m = left >= 16 ? 0xffff : (__mmask16)((1u << left) - 1);
            __m512 v = _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), m, row + i);
            __m512 e = exp16(sub(v, mv));
            _mm512_mask_storeu_ps(row + i, m, e);
            acc = _mm256_add_ps(acc, _mm512_castps512_ps256(e));
            if (left > 8) acc = _mm256_add_ps(acc, _mm512_extractf32x8_ps(e, 1));
        }
        _mm256_storeu_ps(lanes, acc);
        float sum = -0.0f;
        for (int j = 0; j < 8; j++) sum += lanes[j];
        float inv = 1 / sum;
        __m512 iv = _mm512_set1_ps(inv);
        for (i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(row + i, mul(_mm512_loadu_ps(row + i), iv));
        for (; i < n; i++) row[i] *= inv;
    }
}

#else
void ik_bias_gelu_avx512(float *x, int rows, int n, const float *bias) {}
void ik_softmax_rows_avx512(float *x, int rows, int n, int ld) {}
#endif
