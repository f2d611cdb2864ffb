#!/usr/bin/env python3
"""Coefficients of ERFC_H in src/engine/generate/shader-math.ts (needs mpmath and numpy).

H(t) = erfc(x)·e^(x²)/t with t = 2/(2 + x), on x ∈ [0.5, ∞), i.e. t ∈ (0, 0.8]: a degree-10
polynomial fitted by least squares in relative error at 300 Chebyshev nodes. Coefficients are
rounded to float32 one at a time, lowest first, refitting the rest after each rounding. Prints the
coefficients and the worst relative error in float32 ulps, in exact arithmetic and evaluated by
Horner's rule in float32.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 30
DEGREE, LO, HI, NODES = 10, 0.0, 0.8, 300
EPS32 = 2.0 ** -23


def H(t):
    t = mp.mpf(t)
    if t == 0:
        return 1 / (2 * mp.sqrt(mp.pi))
    x = 2 / t - 2
    return mp.erfc(x) * mp.exp(x * x) / t


k = np.arange(NODES)
ts = (LO + HI) / 2 + (HI - LO) / 2 * np.cos(np.pi * (k + 0.5) / NODES)
ys = np.array([float(H(t)) for t in ts])
V = np.vander(ts, DEGREE + 1, increasing=True)
W = 1 / ys

fixed = []
for i in range(DEGREE + 1):
    rest = ys - V[:, : len(fixed)] @ np.array(fixed) if fixed else ys
    c, *_ = np.linalg.lstsq(V[:, len(fixed):] * W[:, None], rest * W, rcond=None)
    fixed.append(float(np.float32(c[0])))


def horner32(t):
    acc = np.float32(fixed[-1])
    for ci in fixed[-2::-1]:
        acc = np.float32(np.float32(acc * t) + np.float32(ci))
    return acc


exact = f32 = 0.0
for t in np.linspace(LO, HI, 2000):
    t32 = np.float32(t)
    h = H(float(t32))
    p = mp.mpf(0)
    for ci in fixed[::-1]:
        p = p * mp.mpf(float(t32)) + mp.mpf(ci)
    exact = max(exact, float(abs(p - h) / h) / EPS32)
    f32 = max(f32, float(abs(mp.mpf(float(horner32(t32))) - h) / h) / EPS32)

print('const ERFC_H = [' + ', '.join(repr(c) for c in fixed) + '];')
print(f'worst relative error: {exact:.2f} ulp exact, {f32:.2f} ulp in float32')
