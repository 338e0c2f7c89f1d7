// The C half of scripts/bench-gemm (see there): y = x·Wᵀ + b, single-threaded, for OpenBLAS fp32,
// the project's int8/bf16 kernels and oneDNN matmul f32/bf16/int8, with an fp64 reference.
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "InferenceKernels.h"
#include "internal.h"   // ik_quantize_rows_avx512, ik_add_outliers_avx512, struct ik_int8_weights

extern char *openblas_get_corename(void);
extern int omp_get_max_threads(void);

#define CK(f) do { dnnl_status_t s_ = (f); if (s_ != dnnl_success) { \
    fprintf(stderr, "bench-gemm: oneDNN status %d at line %d: %s\n", (int)s_, __LINE__, #f); exit(2); } } while (0)
enum { BLAS, IK8, IKB, DF32, DBF, D8, D8O, NIMPL };
static const char *names[NIMPL] = {"OpenBLAS f32", "project int8", "project bf16", "oneDNN f32", "oneDNN bf16", "oneDNN int8", "oneDNN int8 + project quant"};
static dnnl_engine_t eng;
static dnnl_stream_t strm;

typedef struct { dnnl_primitive_t mm, cvt; dnnl_memory_t x, a, w, b, d; char *impl; } dn;
typedef struct {
    int m, n, k;
    float *x, *w, *bias, *y;
    ik_int8_weights *i8; ik_bf16_weights *b16;
    dn f32, bf, q8, q8o;
    int8_t *xq, *wq; uint8_t *xu; float *sx, *sw, *oval; int32_t *acc, *oidx;
} ctx;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

static dnnl_memory_desc_t md2(long a, long b, dnnl_data_type_t t, dnnl_format_tag_t tag) {
    dnnl_memory_desc_t d; dnnl_dims_t dims = {a, b};
    CK(dnnl_memory_desc_init_by_tag(&d, 2, dims, t, tag));
    return d;
}
static dnnl_memory_t mem(const dnnl_memory_desc_t *d, void *p) {
    dnnl_memory_t m; CK(dnnl_memory_create(&m, d, eng, p ? p : DNNL_MEMORY_ALLOCATE)); return m;
}
static dnnl_primitive_t reorder(dnnl_memory_t from, dnnl_memory_t to, char **impl) {
    const dnnl_memory_desc_t *a, *b; dnnl_primitive_desc_t pd; dnnl_primitive_t p; const char *s;
    CK(dnnl_memory_get_memory_desc(from, &a)); CK(dnnl_memory_get_memory_desc(to, &b));
    CK(dnnl_reorder_primitive_desc_create(&pd, a, eng, b, eng, NULL));
    CK(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s));
    if (impl) *impl = strdup(s);
    CK(dnnl_primitive_create(&p, pd)); dnnl_primitive_desc_destroy(pd);
    return p;
}
static void run_reorder(dnnl_primitive_t p, dnnl_memory_t from, dnnl_memory_t to) {
    dnnl_exec_arg_t a[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    CK(dnnl_primitive_execute(p, strm, 2, a));
}

// A matmul primitive with weights in the layout it prefers (format_tag any), reordered once
// from the plain N×K matrix `w` of type wt_plain. st/wt/dt: src, weights, dst types.
static dn dn_setup(ctx *c, dnnl_data_type_t st, dnnl_data_type_t wt, dnnl_data_type_t dt,
                   void *w, dnnl_data_type_t wt_plain, int bias) {
    dn r = {0};
    dnnl_memory_desc_t xs = md2(c->m, c->k, st, dnnl_ab), wa = md2(c->k, c->n, wt, dnnl_format_tag_any),
                       bm = md2(1, c->n, dnnl_f32, dnnl_ab), ds = md2(c->m, c->n, dt, dnnl_ab),
                       wp = md2(c->k, c->n, wt_plain, dnnl_ba), xf = md2(c->m, c->k, dnnl_f32, dnnl_ab);
    dnnl_matmul_desc_t d; dnnl_primitive_desc_t pd; const char *s; char *cvt = NULL;
    CK(dnnl_matmul_desc_init(&d, &xs, &wa, bias ? &bm : NULL, &ds));
    CK(dnnl_primitive_desc_create(&pd, &d, NULL, eng, NULL));
    CK(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s));
    r.w = mem(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0), NULL);
    CK(dnnl_primitive_create(&r.mm, pd));
    dnnl_memory_t wu = mem(&wp, w);
    dnnl_primitive_t p = reorder(wu, r.w, NULL);
    run_reorder(p, wu, r.w); CK(dnnl_stream_wait(strm));
    dnnl_primitive_destroy(p); dnnl_memory_destroy(wu);
    if (st == dnnl_s8) r.a = mem(&xs, c->xq);
    else if (st == dnnl_u8) r.a = mem(&xs, c->xu);
    else if (st == dnnl_f32) r.a = mem(&xs, c->x);
    else { r.x = mem(&xf, c->x); r.a = mem(&xs, NULL); r.cvt = reorder(r.x, r.a, &cvt); }
    r.d = mem(&ds, dt == dnnl_s32 ? (void *)c->acc : (void *)c->y);
    if (bias) r.b = mem(&bm, c->bias);
    r.impl = malloc(strlen(s) + 64);
    sprintf(r.impl, "%s%s%s", s, cvt ? " + reorder " : "", cvt ? cvt : "");
    dnnl_primitive_desc_destroy(pd); free(cvt);
    return r;
}
static void dn_run(dn *r) {
    if (r->cvt) run_reorder(r->cvt, r->x, r->a);
    dnnl_exec_arg_t a[4] = {{DNNL_ARG_SRC, r->a}, {DNNL_ARG_WEIGHTS, r->w}, {DNNL_ARG_DST, r->d}, {DNNL_ARG_BIAS, r->b}};
    CK(dnnl_primitive_execute(r->mm, strm, r->b ? 4 : 3, a));
    CK(dnnl_stream_wait(strm));
}

// Symmetric per-row int8: scale = max|x| / 127, q = round-to-nearest-even(x / scale), no outliers.
__attribute__((target("avx512f"))) static void quant512(const float *x, int m, int k, int8_t *q, float *s) {
    for (int i = 0; i < m; i++) {
        const float *r = x + (size_t)i * k; __m512 mx = _mm512_setzero_ps();
        for (int j = 0; j < k; j += 16) mx = _mm512_max_ps(mx, _mm512_abs_ps(_mm512_loadu_ps(r + j)));
        float a = _mm512_reduce_max_ps(mx); __m512 inv = _mm512_set1_ps(a > 0 ? 127 / a : 0);
        s[i] = a / 127;
        for (int j = 0; j < k; j += 16)
            _mm_storeu_si128((__m128i *)(q + (size_t)i * k + j),
                             _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(r + j), inv))));
    }
}
static void quant(const float *x, int m, int k, int8_t *q, float *s) {
    if (__builtin_cpu_supports("avx512f") && k % 16 == 0) { quant512(x, m, k, q, s); return; }
    for (int i = 0; i < m; i++) {
        const float *r = x + (size_t)i * k; float a = 0;
        for (int j = 0; j < k; j++) a = fabsf(r[j]) > a ? fabsf(r[j]) : a;
        float inv = a > 0 ? 127 / a : 0; s[i] = a / 127;
        for (int j = 0; j < k; j++) q[(size_t)i * k + j] = (int8_t)nearbyintf(r[j] * inv);
    }
}

// y = (acc - comp) · row scale · channel scale + bias (comp: the +128 offset of u8 activations).
static void dequant(ctx *c, const float *sw, const int32_t *comp) {
    for (int i = 0; i < c->m; i++) {
        const int32_t *a = c->acc + (size_t)i * c->n; float *y = c->y + (size_t)i * c->n, s = c->sx[i];
        for (int j = 0; j < c->n; j++) y[j] = (float)(a[j] - (comp ? comp[j] : 0)) * (s * sw[j]) + c->bias[j];
    }
}

static void run(ctx *c, int impl) {
    switch (impl) {
    case BLAS:
        for (int i = 0; i < c->m; i++) memcpy(c->y + (size_t)i * c->n, c->bias, c->n * 4);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c->m, c->n, c->k, 1, c->x, c->k, c->w, c->k, 1, c->y, c->n);
        break;
    case IK8: ik_int8_gemm(c->i8, c->x, c->m, c->y, c->bias); break;
    case IKB: ik_bf16_gemm(c->b16, c->x, c->m, c->y, c->bias); break;
    case DF32: dn_run(&c->f32); break;
    case DBF: dn_run(&c->bf); break;
    case D8:
        quant(c->x, c->m, c->k, c->xq, c->sx);
        dn_run(&c->q8);
        dequant(c, c->sw, NULL);
        break;
    case D8O:   // the project's quantiser (u8 = q + 128, 4 fp32 outliers a row) around oneDNN's u8·s8 gemm
        ik_quantize_rows_avx512(c->x, c->m, c->k, c->xu, c->sx, c->oidx, c->oval);
        dn_run(&c->q8o);
        dequant(c, c->i8->scale, c->i8->comp);
        ik_add_outliers_avx512(c->i8->wt, c->n, c->m, c->oidx, c->oval, c->y);
        break;
    }
}

// GFLOP/s of the best of 5 batches of ~0.1 s each, after a warm-up call.
static double timeit(ctx *c, int impl) {
    double flop = 2.0 * c->m * c->n * c->k, t, best = 1e30; long reps = 1;
    run(c, impl);
    for (;;) { double t0 = now(); for (long i = 0; i < reps; i++) run(c, impl); if ((t = now() - t0) > 0.02) break; reps *= 2; }
    reps = (long)(reps * 0.1 / t) + 1;
    for (int b = 0; b < 5; b++) {
        double t0 = now(); for (long i = 0; i < reps; i++) run(c, impl);
        if ((t = (now() - t0) / reps) < best) best = t;
    }
    return flop / best * 1e-9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static float uni(float lo, float hi) {   // xorshift64*, fixed seed
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return lo + (hi - lo) * (float)((rng * 2685821657736338717ull) >> 40) / 16777216.0f;
}

int main(void) {
    const dnnl_version_t *v = dnnl_version();
    setvbuf(stdout, NULL, _IOLBF, 0);
    openblas_set_num_threads(1);
    printf("oneDNN %d.%d.%d (%s), CPU runtime %s, omp_get_max_threads() = %d\n", v->major, v->minor, v->patch, v->hash,
           v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "not OpenMP", omp_get_max_threads());
    if (omp_get_max_threads() != 1) { fprintf(stderr, "bench-gemm: OpenMP would use %d threads, want 1\n", omp_get_max_threads()); return 1; }
    printf("OpenBLAS core: %s; project paths: int8 %s, bf16 %s\n\n", openblas_get_corename(), ik_int8_isa(), ik_bf16_isa());
    if (!ik_bf16_available()) { fprintf(stderr, "bench-gemm: this CPU has no AVX512-BF16: the project's bf16 kernel cannot run\n"); return 1; }
    CK(dnnl_engine_create(&eng, dnnl_cpu, 0));
    CK(dnnl_stream_create(&strm, eng, dnnl_stream_default_flags));
    static const int ms[] = {64, 256}, nk[][2] = {{1152, 384}, {384, 384}, {1536, 384}, {384, 1536}};
    static const char *layer[] = {"QKV", "attn out", "FFN up", "FFN down"};
    double gf[8][NIMPL], err[8][NIMPL]; char *impl[8][4]; int s = 0;
    for (int mi = 0; mi < 2; mi++)
        for (int li = 0; li < 4; li++, s++) {
            ctx c = {.m = ms[mi], .n = nk[li][0], .k = nk[li][1]};
            int m = c.m, n = c.n, k = c.k;
            c.x = malloc(4L * m * k); c.w = malloc(4L * n * k); c.bias = malloc(4L * n); c.y = malloc(4L * m * n);
            c.xq = malloc((size_t)m * k); c.wq = malloc((size_t)n * k); c.sx = malloc(4L * m); c.sw = malloc(4L * n);
            c.acc = malloc(4L * m * n);
            c.xu = malloc((size_t)m * k); c.oidx = malloc(4L * m * IK_OUTLIERS); c.oval = malloc(4L * m * IK_OUTLIERS); double *ref = malloc(8L * m * n), rmax = 0;
            for (long i = 0; i < (long)m * k; i++) c.x[i] = uni(-1, 1) * (i % k == 3 || i % k == k / 2 + 7 ? 20 : 1);
            for (long i = 0; i < (long)n * k; i++) c.w[i] = uni(-0.1f, 0.1f);
            for (int j = 0; j < n; j++) c.bias[j] = uni(-0.1f, 0.1f);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double a = c.bias[j];
                    for (int l = 0; l < k; l++) a += (double)c.x[(size_t)i * k + l] * c.w[(size_t)j * k + l];
                    ref[(size_t)i * n + j] = a; rmax = fmax(rmax, fabs(a));
                }
            for (int j = 0; j < n; j++) {   // oneDNN int8 weights: symmetric per channel, as Int8.c rounds them
                float a = 0, inv; for (int l = 0; l < k; l++) a = fmaxf(a, fabsf(c.w[(size_t)j * k + l]));
                c.sw[j] = a / 127.0f; inv = a > 0 ? 127.0f / a : 0;
                for (int l = 0; l < k; l++) c.wq[(size_t)j * k + l] = (int8_t)fmaxf(-127, fminf(127, rintf(c.w[(size_t)j * k + l] * inv)));
            }
            c.i8 = ik_int8_pack(c.w, n, k); c.b16 = ik_bf16_pack(c.w, n, k);
            c.f32 = dn_setup(&c, dnnl_f32, dnnl_f32, dnnl_f32, c.w, dnnl_f32, 1);
            c.bf = dn_setup(&c, dnnl_bf16, dnnl_bf16, dnnl_f32, c.w, dnnl_f32, 1);
            c.q8 = dn_setup(&c, dnnl_s8, dnnl_s8, dnnl_s32, c.wq, dnnl_s8, 0);
            c.q8o = dn_setup(&c, dnnl_u8, dnnl_s8, dnnl_s32, c.wq, dnnl_s8, 0);
            if (c.i8->path != IK_AVX512 || !c.b16) { fprintf(stderr, "bench-gemm: needs AVX-512 VNNI and BF16\n"); return 1; }
            impl[s][0] = c.f32.impl; impl[s][1] = c.bf.impl; impl[s][2] = c.q8.impl; impl[s][3] = c.q8o.impl;
            for (int p = 0; p < NIMPL; p++) {
                memset(c.y, 0xff, 4L * m * n);   // NaN: a path that writes nothing shows
                run(&c, p);
                double e = 0;
                for (long i = 0; i < (long)m * n; i++) { double d = fabs(c.y[i] - ref[i]); e = d > e || d != d ? d : e; }
                err[s][p] = e / rmax;
                gf[s][p] = timeit(&c, p);
            }
            fprintf(stderr, "  done %dx%dx%d\n", m, n, k);
            ik_int8_free(c.i8); ik_bf16_free(c.b16);
            free(c.x); free(c.w); free(c.bias); free(c.y); free(c.xq); free(c.wq); free(c.sx); free(c.sw); free(c.acc); free(ref);
            free(c.xu); free(c.oidx); free(c.oval);
        }
    const char *hdr = "| M | N | K | layer |", *sep = "|--:|--:|--:|---|";
    printf("GFLOP/s (2·M·N·K per call, single thread, best of 5 batches of ~0.1 s):\n\n%s", hdr);
    for (int p = 0; p < NIMPL; p++) printf(" %s |", names[p]);
    printf(" int8 ik/dnnl+quant | bf16 ik/dnnl |\n%s", sep);
    for (int p = 0; p < NIMPL + 2; p++) printf("--:|");
    for (s = 0; s < 8; s++) {
        printf("\n| %d | %d | %d | %s |", ms[s / 4], nk[s % 4][0], nk[s % 4][1], layer[s % 4]);
        for (int p = 0; p < NIMPL; p++) printf(" %.1f |", gf[s][p]);
        printf(" %.2f | %.2f |", gf[s][IK8] / gf[s][D8O], gf[s][IKB] / gf[s][DBF]);
    }
    printf("\n\nMax relative error |y - ref| / max|ref| against fp64:\n\n%s", hdr);
    for (int p = 0; p < NIMPL; p++) printf(" %s |", names[p]);
    printf("\n%s", sep);
    for (int p = 0; p < NIMPL; p++) printf("--:|");
    for (s = 0; s < 8; s++) {
        printf("\n| %d | %d | %d | %s |", ms[s / 4], nk[s % 4][0], nk[s % 4][1], layer[s % 4]);
        for (int p = 0; p < NIMPL; p++) printf(" %.1e |", err[s][p]);
    }
    printf("\n\noneDNN implementations (f32 | bf16 | int8 s8·s8 | int8 u8·s8):\n");
    for (s = 0; s < 8; s++)
        printf("  %dx%dx%d: %s | %s | %s | %s\n", ms[s / 4], nk[s % 4][0], nk[s % 4][1], impl[s][0], impl[s][1], impl[s][2], impl[s][3]);
    printf("\nFastest per shape (int8 among project / oneDNN / oneDNN + project quant; bf16 project / oneDNN):\n");
    for (s = 0; s < 8; s++) {
        int b = gf[s][IK8] >= gf[s][D8] && gf[s][IK8] >= gf[s][D8O] ? IK8 : gf[s][D8] >= gf[s][D8O] ? D8 : D8O;
        printf("%s%dx%dx%d int8=%s bf16=%s", s ? "; " : "  ", ms[s / 4], nk[s % 4][0], nk[s % 4][1], names[b],
               gf[s][IKB] >= gf[s][DBF] ? names[IKB] : names[DBF]);
    }
    printf("\n");
    return 0;
}
