#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/irr_fuzzer.cpp (fuzz/corpus/irr/): the IRR and XIRR cases of the
tests (tests/golden/fin_golden.csv and the cases of issue 14) in the fuzzer's binary layout:
byte 0 = 1 for XIRR, 0 for IRR; the guess as a little-endian double; then per flow the amount as
a double and, for XIRR, its days after the first date as a little-endian uint16.

Usage: /usr/bin/python3 fuzz/make_irr_seeds.py
"""
import csv
import os
import struct

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "fuzz", "corpus", "irr")
os.makedirs(out, exist_ok=True)


def write(name, flows, guess=0.1, days=None):
    data = struct.pack("<Bd", 1 if days is not None else 0, guess)
    for i, flow in enumerate(flows):
        data += struct.pack("<d", flow)
        if days is not None:
            data += struct.pack("<H", days[i] - days[0])
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("distant-guess", [-100, 10, 110], 1e9)
write("two-roots-guess-near-minus-one", [-100, 230, -132], -0.9999999999999999)
write("subnormal", [-5e-324, 1e-323])
write("largest-doubles", [-1.5e308, 1.5e308, 1.5e308])
write("no-root", [100, -300, 250])
write("lease-tax-payments", [-1700.0] + [(-40.0 if m % 12 == 11 else 64.0) for m in range(1, 59)] + [197.0])
write("alternating", [(-1.0 if i % 2 == 0 else 1.0) for i in range(64)])
write("xirr-two-years", [-1000, 1210], 0.1, [45000, 45730])
write("xirr-same-day", [-1000, 605, 300, 305], 0.1, [45000, 45730, 45730, 45730])

with open(os.path.join(root, "tests", "golden", "fin_golden.csv")) as f:
    taken = {"irr": 0, "xirr": 0}
    for row in csv.DictReader(f):
        kind = row["function"]
        if kind not in taken or taken[kind] >= 4:
            continue
        flows = [float(v) for v in row["values"].split(";")]
        if len(flows) > 400:
            continue
        guess = float(row["args"]) if row["args"] else 0.1
        days = [int(d) for d in row["dates"].split(";")] if kind == "xirr" else None
        if days is not None and (min(days) < days[0] or max(days) - days[0] > 65535):
            continue
        write(f"golden-{kind}-{taken[kind]}", flows, guess, days)
        taken[kind] += 1
