// Reduced-precision dense layers y = x·Wᵀ (+ b) for the encoders: int8 and bf16, with the
// instruction set chosen at run time (AVX-512 VNNI / AVX512-BF16, AVX2, portable C).
//
// Every output element is computed with a fixed order of operations that depends only on
// its own row of x and column of W, never on the number of rows, the row's position or
// the thread: a sequence's result is bitwise the same in any batch. int8 sums are exact
// int32, so int8 results are also bitwise the same on every instruction-set path; bf16
// results may differ between the AVX512-BF16 path and the fallback.
#ifndef INDEXER_INFERENCE_KERNELS_H
#define INDEXER_INFERENCE_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque packed int8 weights (per-output-channel scales, and fp32 Wᵀ for outliers).
typedef struct ik_int8_weights ik_int8_weights;
/// Opaque packed bf16 weights.
typedef struct ik_bf16_weights ik_bf16_weights;

/// The int8 path taken on this CPU: "avx512-vnni", "avx2" or "portable".
const char *ik_int8_isa(void);
/// The bf16 path taken on this CPU: "avx512-bf16", or "fp32-fallback" (no bf16 kernel).
const char *ik_bf16_isa(void);
/// 1 when the bf16 kernel is available on this CPU.
int ik_bf16_available(void);
// The widest OpenBLAS core this CPU runs ("Cooperlake", "SkylakeX", "Haswell"), or NULL when
// it has no AVX2 and FMA: what OPENBLAS_CORETYPE should name when the library mistakes a CPU
// newer than itself for a generic one.
const char *ik_blas_core_for_cpu(void);

// 1 when the AVX-512 elementwise kernels below can run (and INDEXER_ISA does not ask for a
// narrower path). They give bitwise the results of the Swift 8-lane reference.
int ik_activations_avx512(void);
// x <- GELU(x + bias) over rows × n, exact-erf GELU (Inference/Kernels/Erf.swift).
void ik_bias_gelu_avx512(float *x, int rows, int n, const float *bias);
// Row-wise softmax of rows × n with leading dimension ld, in place (Softmax.swift).
void ik_softmax_rows_avx512(float *x, int rows, int n, int ld);
/// Forces a path for tests and benches ("avx512", "avx2", "portable"; NULL = detect).
/// Weights packed before the call keep their layout; call it before packing.
void ik_force_isa(const char *name);

/// Packs w (n × k, row-major as PyTorch stores it) to int8, one scale per output row.
/// Needs n % 16 == 0 and k % 4 == 0; returns NULL otherwise.
ik_int8_weights *ik_int8_pack(const float *w, int n, int k);
void ik_int8_free(ik_int8_weights *p);
/// y[rows × n] = x·Wᵀ (+ bias when non-NULL): x int8 per row but for each row's 4 largest
/// |x|, which are multiplied in fp32.
void ik_int8_gemm(const ik_int8_weights *p, const float *x, int rows, float *y, const float *bias);

/// Packs w (n × k) to bf16 (round to nearest even). Needs n % 16 == 0 and k % 2 == 0 and
/// the bf16 kernel; returns NULL otherwise.
ik_bf16_weights *ik_bf16_pack(const float *w, int n, int k);
void ik_bf16_free(ik_bf16_weights *p);
/// y[rows × n] = bf16(x) · bf16(W)ᵀ accumulated in fp32 (+ bias when non-NULL).
void ik_bf16_gemm(const ik_bf16_weights *p, const float *x, int rows, float *y, const float *bias);
/// Rounds `count` floats to the nearest bf16 value (kept as floats), in place.
void ik_round_bf16(float *v, long count);

#ifdef __cplusplus
}
#endif
#endif
