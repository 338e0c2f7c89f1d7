#!/usr/bin/env python3
"""Fits the piecewise polynomial erf of Sources/Inference/Kernels/Erf.swift and checks it.

Needs numpy only. Least-squares fits on Chebyshev nodes (close to minimax): |x| < 0.9 as
x*P(x^2) (degree 5); erfc on [0.9, 2.2) and [2.2, 3.92) as polynomials in x minus the
interval centre (degrees 9 and 8). Evaluates in float32 like the Swift code and prints the
maximum absolute error against math.erf on [-10, 10], then the coefficients.
"""
import numpy as np, math
import numpy as np, math
erf = np.vectorize(math.erf); erfc = np.vectorize(math.erfc)
f32 = np.float32
def horner32(c, x):
    """Horner in float32 with separate multiply and add, as the Swift kernel does."""
    r = np.full_like(x, f32(c[0]))
    for a in c[1:]:
        r = ((r * x).astype(f32) + f32(a)).astype(f32)
    return r
def fitpoly(xs, ys, deg):
    c, *_ = np.linalg.lstsq(np.vander(xs, deg + 1), ys, rcond=None)
    return c
def fit_region(lo, hi, deg, f, var):
    m = (lo+hi)/2
    xs = np.cos(np.linspace(0, math.pi, 8000))*(hi-lo)/2 + m
    if var == 'sq':
        xs = xs[xs > 1e-6]; c = fitpoly(xs*xs, erf(xs)/xs, deg)
    else:
        c = fitpoly(xs - m, f(xs), deg)
    return m, c.astype(f32)
m1, c1 = fit_region(0, 0.9, 5, erf, 'sq')
m2, c2 = fit_region(0.9, 2.2, 9, erfc, 's')
m3, c3 = fit_region(2.2, 3.92, 8, erfc, 's')
def myerf(x):
    a = np.abs(x).astype(f32)
    r1 = (a * horner32(c1, (a*a).astype(f32))).astype(f32)
    r2 = (f32(1) - horner32(c2, (a - f32(m2)).astype(f32))).astype(f32)
    r3 = (f32(1) - horner32(c3, (a - f32(m3)).astype(f32))).astype(f32)
    r = np.where(a < f32(0.9), r1, np.where(a < f32(2.2), r2, np.where(a < f32(3.92), r3, f32(1))))
    return np.copysign(r, x).astype(f32)
xt = np.linspace(-10, 10, 4000001).astype(f32)
err = np.abs(myerf(xt).astype(np.float64) - erf(xt.astype(np.float64)))
print("max err", err.max(), xt[err.argmax()])
fmt = lambda c: ", ".join("%.9g" % v for v in c)
print("m2 %.9g m3 %.9g" % (f32(m2), f32(m3)))
print("c1", fmt(c1)); print("c2", fmt(c2)); print("c3", fmt(c3))
