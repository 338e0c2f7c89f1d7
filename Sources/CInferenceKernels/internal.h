// Shared between the kernel files of CInferenceKernels; not part of the public header.
#ifndef IK_INTERNAL_H
#define IK_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

enum { IK_PORTABLE = 0, IK_AVX2 = 1, IK_AVX512 = 2 };

/// The detected (or forced) int8 and bf16 paths.
int ik_int8_path(void);
int ik_bf16_path(void);
/// Per-thread scratch of at least `bytes` bytes, 64-byte aligned; reused by the next call.
void *ik_scratch(size_t bytes);
/// Zeroed 64-byte-aligned memory (aborts when memory is exhausted).
void *ik_alloc(size_t bytes);

struct ik_int8_weights {
    int n, k, path;
    int8_t *w8;        // AVX-512: panels of 64 columns [k/4][w][4]; portable: row-major n × k
    int16_t *w16;      // AVX2: panels of 16 columns [k/2][16][2]
    float *scale;      // per output row
    int32_t *comp;     // 128 × Σ_j W8[n][j]: removes the +128 offset of the unsigned activations
    float *wt;         // fp32 Wᵀ (k × n): the outlier columns' exact products
};

/// Values per row kept out of the int8 product and multiplied in fp32.
#define IK_OUTLIERS 4

/// Rows of x quantised symmetric per row to 8 bits, stored offset by +128 as unsigned
/// bytes (q + 128), the row scales in `sa`; each row's IK_OUTLIERS largest |x| are stored as
/// 128 (zero) and returned in oidx/oval (rows × IK_OUTLIERS; index -1 when unused).
void ik_quantize_rows(const float *x, int rows, int k, uint8_t *a, float *sa, int32_t *oidx, float *oval);

/// The same two steps with AVX-512 (k and n multiples of 16): bitwise the portable results.
void ik_quantize_rows_avx512(const float *x, int rows, int k, uint8_t *a, float *sa, int32_t *oidx, float *oval);
void ik_add_outliers_avx512(const float *wt, int n, int rows, const int32_t *oidx, const float *oval, float *y);
void ik_int8_gemm_avx512(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows, float *y, const float *bias);
void ik_int8_gemm_avx2(const struct ik_int8_weights *p, const uint8_t *a, const float *sa, int rows, float *y, const float *bias);
void ik_bf16_gemm_avx512(const uint16_t *w, int n, int k, const uint16_t *a, int rows, float *y, const float *bias);
#endif
