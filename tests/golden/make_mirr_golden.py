#!/usr/bin/env python3
"""Regenerates tests/golden/mirr_golden.csv: MIRR of long cash-flow series, computed with 60-digit
arithmetic (mpmath), where the compounded sums are far beyond a double (1.12^7000 = e^793).

The flows are integers from a formula that tests/tvm_test.cpp repeats exactly:
  flow 0 = -outlay, flow i (i >= 1) = ((i * 7919) % 201) - 60
so a row needs only (count, outlay, finance rate, reinvest rate). MIRR is the spreadsheet's:
(FV of the positive flows at the reinvest rate / -PV of the negative flows at the finance rate)
^ (1 / (n - 1)) - 1, flow i at the end of period i + 1.

Usage: /usr/bin/python3 tests/golden/make_mirr_golden.py   (needs python3-mpmath)
"""
import os

import mpmath

mpmath.mp.dps = 60


def flows(count, outlay):
    return [-outlay] + [((i * 7919) % 201) - 60 for i in range(1, count)]


def mirr(values, finance, reinvest):
    n = len(values)
    finance, reinvest = mpmath.mpf(finance), mpmath.mpf(reinvest)
    future = sum(mpmath.mpf(v) * (1 + reinvest) ** (n - 1 - i) for i, v in enumerate(values) if v > 0)
    present = sum(mpmath.mpf(v) / (1 + finance) ** i for i, v in enumerate(values) if v < 0)
    return (future / -present) ** (mpmath.mpf(1) / (n - 1)) - 1


CASES = [  # count, outlay, finance rate, reinvest rate (decimal text, read exactly by both sides)
    (10, 1000, "0.1", "0.12"),
    (360, 100000, "0.004", "0.005"),
    (7000, 1000, "0.1", "0.12"),
    (7000, 1000000, "0.08", "0.12"),
    (20000, 5000, "0.05", "0.02"),
    (3000, 1000, "-0.5", "3"),
]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mirr_golden.csv")
with open(path, "w") as out:
    out.write("count,outlay,finance_rate,reinvest_rate,mirr\n")
    for count, outlay, finance, reinvest in CASES:
        value = mirr(flows(count, outlay), finance, reinvest)
        out.write(f"{count},{outlay},{finance},{reinvest},{mpmath.nstr(value, 20, min_fixed=-5, max_fixed=5)}\n")
