#!/usr/bin/env python3
"""Golden Holm-adjusted p-values for EvaluationTests (Statistics.holm), from statsmodels.

    python3 scripts/reference/make_holm_golden.py > Tests/EvaluationTests/Golden/synthetic/holm.json

Cases: hand-made families (ties, values that cap at 1, a single test, adjusted values that the
step-down maximum must carry up) and seeded random families of 2..12 p-values.
"""
import json
import random
import sys

import statsmodels
from statsmodels.stats.multitest import multipletests

cases = [
    [0.01],
    [0.01, 0.04, 0.03, 0.005],
    [0.2, 0.2, 0.2],
    [0.5, 0.9, 0.04],
    [0.001, 0.0125, 0.013, 0.04, 0.5],
    [0.03, 0.01, 0.03, 0.01],
    [1.0, 0.0001, 0.7],
]
rng = random.Random(20240601)
for n in range(2, 13):
    cases.append([round(rng.random() ** 3, 6) for _ in range(n)])

out = {"reference": f"statsmodels {statsmodels.__version__} multipletests(method='holm')", "cases": []}
for p in cases:
    _, adjusted, _, _ = multipletests(p, method="holm")
    out["cases"].append({"p": p, "holm": [float(x) for x in adjusted]})
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
