// Exact inner-product scoring with a fixed order of operations.
//
// Every score is one chain of fused multiply-adds along the vector, in component order,
// starting from +0:  acc = fma(q[0], d[0], 0); acc = fma(q[1], d[1], acc); ...
// The vectorised kernels keep one accumulator lane per (query, document) pair and never split
// or reorder the chain, so a score is bitwise the same whichever kernel, tile, block, batch or
// thread computes it, and a test can recompute it with a scalar loop. (OpenBLAS sgemm does not
// promise that: its result for one pair changes with the matrix shapes.)
#ifndef INDEXER_DENSE_KERNELS_H
#define INDEXER_DENSE_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Documents a packed panel holds.
#define DK_PANEL 16
/// Queries the kernels score at once; query matrices are padded to a multiple of this.
#define DK_QUERY_TILE 6

/// Floats needed to pack `rows` vectors of `dim` components (rows rounded up to a panel).
long dk_packed_count(long rows, long dim);

/// Packs `rows` row-major float vectors into panels of DK_PANEL documents, component-major
/// inside a panel (out[p][k][j] = v[p*16+j][k]); missing rows of the last panel are zero.
void dk_pack_f32(const float *vectors, long rows, long dim, float *out);

/// Packs `rows` row-major int8 codes the same way, as exact floats.
void dk_pack_i8(const int8_t *codes, long rows, long dim, float *out);

/// scores[q * ldc + r] = the fixed-order dot product of query q and packed document r, for
/// q < nq (nq a multiple of DK_QUERY_TILE; queries row-major, `dim` apart) and r < rows
/// rounded up to DK_PANEL (ldc at least that).
void dk_scores(const float *queries, long nq, long dim, const float *packed, long rows,
               float *scores, long ldc);

/// The same with the portable scalar loop only (the reference the vector kernels must equal).
void dk_scores_scalar(const float *queries, long nq, long dim, const float *packed, long rows,
                      float *scores, long ldc);

/// Which kernel dk_scores uses on this machine: "avx512", "avx2" or "scalar".
const char *dk_kernel_name(void);

/// Caps the kernel dk_scores uses (0 scalar, 1 avx2, 2 avx512; never above what the CPU has),
/// so tests can check every kernel gives the same bits; returns the level now in use.
int dk_limit_kernel(int level);

#ifdef __cplusplus
}
#endif

#endif
