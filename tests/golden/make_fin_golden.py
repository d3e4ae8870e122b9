#!/usr/bin/env python3
"""Regenerates the golden values of the spreadsheet financial functions with LibreOffice Calc.

Writes a flat OpenDocument spreadsheet (.fods) of formulas, lets LibreOffice compute it headless
(`soffice --headless --convert-to csv`), and stores the results next to their inputs:

  tests/golden/fin_golden.csv           NPV, XNPV, IRR, XIRR, MIRR, PMT, IPMT, PPMT, PV, FV, NPER, RATE
  tests/golden/depreciation_golden.csv  SLN, SYD, DB, DDB, VDB
  tests/golden/depreciation_by_year_golden.csv
                                        SYD, DDB and VDB by year of the life, allocated to tax years
                                        for an asset placed in service with 1-12 months of its first
                                        tax year left (engine/schedules.hpp)

Calc shows at most 15 significant digits, so every formula is exported twice: its value as text
with 15 digits (hi), and the difference between the value and that text (lo, via RAWSUBTRACT,
since the minus operator snaps near-equal operands to zero); hi + lo
restores the full double.

IRR/XIRR cases also carry an independent reference: the flows are built from a chosen rate (an
outlay equal to the present value of the later flows at that rate, computed with 50-digit
arithmetic), so the true IRR is known whatever the spreadsheet answers. Where Calc fails
(Err:523) or answers a rate below -100%, the row records it.

Usage: tests/golden/make_fin_golden.py [depreciation] [depreciation_by_year] [fin]   (needs libreoffice-calc-nogui and python3-mpmath)
"""
import csv
import os
import random
import subprocess
import sys
import tempfile

import mpmath

mpmath.mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))
FMT = "0.00000000000000E+00"  # 15 significant digits, the most Calc shows


def num(x):
    """A literal Calc and C++ parse to the same double."""
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, int):
        return str(x)
    return repr(float(x))


def array(values):
    return "{" + ";".join(num(v) for v in values) + "}"


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run_calc(formulas):
    """Evaluates formulas in LibreOffice; returns a float or the error text for each."""
    rows = []
    for i, f in enumerate(formulas, start=1):
        hi = f'of:=TEXT({f};"{FMT}")'
        lo = f"of:=ORG.LIBREOFFICE.RAWSUBTRACT({f};VALUE([.A{i}]))"
        rows.append(
            '<table:table-row><table:table-cell table:formula="%s"/><table:table-cell table:formula="%s"/></table:table-row>'
            % (xml_escape(hi), xml_escape(lo)))
    doc = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="golden">
%s
</table:table></office:spreadsheet></office:body></office:document>
""" % "\n".join(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "golden.fods")
        with open(path, "w") as f:
            f.write(doc)
        subprocess.run(
            ["soffice", "-env:UserInstallation=file://" + os.path.join(tmp, "profile"), "--headless",
             "--convert-to", "csv", "--outdir", tmp, path],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(tmp, "golden.csv")) as f:
            out = list(csv.reader(f))
    if len(out) != len(formulas):
        sys.exit(f"expected {len(formulas)} rows from Calc, got {len(out)}")
    results = []
    for hi, lo in out:
        try:
            results.append(float(hi) + float(lo))
        except ValueError:
            results.append(hi)  # Err:523, #NUM!, ...
    return results


def fmt_result(r):
    return repr(r) if isinstance(r, float) else "error:" + r


# ---- depreciation -------------------------------------------------------------------------------

def depreciation_cases():
    cases = []  # (function, cost, salvage, life, arg4, arg5, arg6, arg7)
    assets = [(2.66e9, 1.33e8), (1000.0, 100.0), (30000.0, 0.0), (123456.78, 4321.09), (5e6, 7.5e5)]
    for cost, salvage in assets:
        for life in (1, 3, 4.5, 5, 7, 10):
            cases.append(("SLN", cost, salvage, life))
        for life in (3, 5, 7):
            for per in list(range(1, life + 1)) + [1.5, life - 0.5]:
                cases.append(("SYD", cost, salvage, life, per))
        for life in (1, 3, 5, 6):
            for month in (12, 1, 6, 7, 11):
                last = life + (1 if month < 12 else 0)
                for per in range(1, last + 1):
                    cases.append(("DB", cost, salvage, life, per, month))
        for life in (3, 5, 8):
            for factor in (1, 1.5, 2, 3):
                for per in range(1, life + 1):
                    cases.append(("DDB", cost, salvage, life, per, factor))
        for life in (5, 7):
            spans = [(0, 1), (0, 0.5), (0.5, 1.5), (1, 2), (0, life), (1.25, 3.75), (2, life),
                     (life - 1, life), (0.75, 0.9), (3, 3)]
            for factor in (1.5, 2, 3):
                for no_switch in (0, 1):
                    for start, end in spans:
                        cases.append(("VDB", cost, salvage, life, start, end, factor, no_switch))
    # Defaults left off: DB month 12, DDB factor 2, VDB factor 2 and switching.
    cases.append(("DB", 2.66e9, 1.33e8, 5, 2))
    cases.append(("DDB", 2.66e9, 1.33e8, 5, 2))
    cases.append(("VDB", 2.66e9, 1.33e8, 5, 0, 1.5))
    return cases


def write_depreciation():
    cases = depreciation_cases()
    formulas = []
    for c in cases:
        args = list(c[1:])
        if c[0] == "VDB" and len(args) == 7:
            args[6] = bool(args[6])
        formulas.append("%s(%s)" % (c[0], ";".join(num(a) for a in args)))
    results = run_calc(formulas)
    path = os.path.join(HERE, "depreciation_golden.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["function", "cost", "salvage", "life", "arg4", "arg5", "arg6", "arg7", "expected"])
        for c, r in zip(cases, results):
            if not isinstance(r, float):
                sys.exit(f"Calc failed on {c}: {r}")
            args = [num(a) for a in c[1:]] + [""] * (7 - len(c[1:]))
            w.writerow([c[0].lower()] + args + [repr(r)])
    print(f"{path}: {len(cases)} rows")


# ---- depreciation by tax year ------------------------------------------------------------------

def by_year_cases():
    cases = []  # (method, cost, salvage, life, factor, first_year_months)
    for cost, salvage in [(2.66e9, 1.33e8), (1000.0, 100.0), (30000.0, 0.0), (123456.78, 4321.09)]:
        for life in (3, 5, 6):
            for first_year_months in (12, 1, 4, 7, 11):
                cases.append(("syd", cost, salvage, life, 0, first_year_months))
                for factor in (1.5, 2):
                    cases.append(("ddb", cost, salvage, life, factor, first_year_months))
                    cases.append(("vdb", cost, salvage, life, factor, first_year_months))
    return cases


def life_year_formula(method, cost, salvage, life, factor, k):
    """Calc's depreciation in year k of the life (1-based)."""
    args = ";".join(num(a) for a in (cost, salvage, life))
    if method == "syd":
        return "SYD(%s;%d)" % (args, k)
    if method == "ddb":  # declining balance without the switch to straight line
        return "DDB(%s;%d;%s)" % (args, k, num(factor))
    return "VDB(%s;%d;%d;%s)" % (args, k - 1, k, num(factor))  # with the switch


def write_depreciation_by_year():
    """Tax year i of an asset with m months of its first tax year left takes (12 - m)/12 of life
    year i - 1 and m/12 of life year i."""
    rows, formulas = [], []
    for method, cost, salvage, life, factor, m in by_year_cases():
        years = life if m == 12 else life + 1
        for i in range(1, years + 1):
            terms = []
            if 1 <= i - 1 <= life and m < 12:
                terms.append("(12-%d)/12*%s" % (m, life_year_formula(method, cost, salvage, life, factor, i - 1)))
            if i <= life:
                terms.append("%d/12*%s" % (m, life_year_formula(method, cost, salvage, life, factor, i)))
            formulas.append("+".join(terms))
            rows.append([method, num(cost), num(salvage), num(life), num(factor), str(m), str(i)])
    results = run_calc(formulas)
    path = os.path.join(HERE, "depreciation_by_year_golden.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["method", "cost", "salvage", "life_years", "factor", "first_year_months", "tax_year", "expected"])
        for row, r in zip(rows, results):
            if not isinstance(r, float):
                sys.exit(f"Calc failed on {row}: {r}")
            w.writerow(row + [repr(r)])
    print(f"{path}: {len(rows)} rows")


# ---- time value of money and IRR ---------------------------------------------------------------

def pv_at(rate, flows, times):
    r = mpmath.mpf(rate)
    return sum(mpmath.mpf(c) * (1 + r) ** (-mpmath.mpf(t)) for c, t in zip(flows, times))


def constructed_irr(rate, later_flows, times):
    """Flows whose IRR is `rate`: an outlay at t=0 equal to the value of the later flows at it."""
    outlay = pv_at(rate, later_flows, times)
    return [float(-outlay)] + list(later_flows)


def fin_cases(rng):
    cases = []  # dicts: function, args (scalars), values, dates, reference

    def add(function, args=(), values=(), dates=(), reference=""):
        cases.append(dict(function=function, args=list(args), values=list(values), dates=list(dates),
                          reference=reference))

    # PMT, PV, FV, NPER, IPMT, PPMT over a grid, including rate 0, type 1 and fv != 0.
    loans = [(0.004, 60, -2.26e9, 0.0), (0.05 / 12, 360, 300000.0, 0.0), (0.08, 10, -1e6, 2e5),
             (0.0, 36, 1.2e7, 0.0), (0.0, 24, -5e5, -1e5), (0.15, 5, 1000.0, -250.0),
             (-0.01, 12, 1000.0, 0.0), (1.2, 4, -100.0, 0.0), (0.0075, 84, 4.5e7, -4.5e6)]
    for rate, nper, pv, fv in loans:
        for typ in (0, 1):
            add("PMT", [rate, nper, pv, fv, typ])
            add("FV", [rate, nper, pv / nper / 10, pv, typ])
            add("PV", [rate, nper, pv / nper / 10, fv, typ])
            for per in sorted({1, 2, nper // 2, nper}):
                add("IPMT", [rate, per, nper, pv, fv, typ])
                add("PPMT", [rate, per, nper, pv, fv, typ])
        # Optional arguments left off.
        add("PMT", [rate, nper, pv])
        add("PMT", [rate, nper, pv, fv])
        add("PV", [rate, nper, pv / nper])
        add("FV", [rate, nper, pv / nper])
        add("IPMT", [rate, 1, nper, pv])
        add("PPMT", [rate, nper, nper, pv])
    for rate, pmt, pv, fv, typ in [(0.004, -4.5e7, 2.26e9, 0.0, 0), (0.01, -100.0, 5000.0, 0.0, 1),
                                   (0.0, -100.0, 5000.0, 0.0, 0), (0.0, -100.0, 5000.0, -500.0, 1),
                                   (0.05, -1000.0, 0.0, 20000.0, 0), (0.08, 2000.0, -10000.0, 0.0, 0),
                                   (0.02, -300.0, 3000.0, 1000.0, 1), (-0.02, -100.0, 1000.0, 0.0, 0)]:
        add("NPER", [rate, pmt, pv, fv, typ])
    add("NPER", [0.01, -100.0, 5000.0])
    for nper, pmt, pv, fv, typ, guess in [(60, -4.5e7, 2.26e9, 0.0, 0, 0.1), (360, -1610.46, 300000.0, 0.0, 0, 0.1),
                                          (10, -1000.0, 8000.0, 0.0, 1, 0.1), (12, -100.0, 1000.0, 200.0, 0, 0.05),
                                          (5, -400.0, 1000.0, 0.0, 0, 0.3), (24, 0.0, -1000.0, 2000.0, 0, 0.1),
                                          (36, -3000.0, 100000.0, 0.0, 0, 0.01)]:
        add("RATE", [nper, pmt, pv, fv, typ, guess])
    add("RATE", [60, -4.5e7, 2.26e9])

    # NPV and MIRR on random lease-like flows.
    for n in (2, 5, 12, 36, 60, 120, 360):
        for _ in range(3):
            values = [-rng.uniform(1e6, 3e6)] + [round(rng.uniform(-2e4, 9e4), 2) for _ in range(n - 1)]
            rate = rng.choice([0.0, 0.004, 0.01, 0.08, -0.02, 0.35])
            add("NPV", [rate], values)
            add("MIRR", [rng.choice([0.004, 0.06, 0.1]), rng.choice([0.003, 0.05, 0.12])], values)

    # XNPV on irregular dates (LibreOffice serial days; only differences matter).
    for n in (2, 5, 20, 61):
        for _ in range(3):
            d0 = rng.randint(43000, 47000)
            dates = [d0] + sorted(d0 + rng.randint(1, 3650) for _ in range(n - 1))
            values = [-rng.uniform(1e5, 1e7)] + [round(rng.uniform(-1e4, 5e5), 2) for _ in range(n - 1)]
            add("XNPV", [rng.choice([0.0, 0.07, 0.12, -0.05, 1.5])], values, dates)

    # IRR on flows built from a known rate: monthly leases of 36/60/360 months, annual deals,
    # negative IRRs, IRRs above 100%, balloon and residual flows.
    def lease(n, payment, balloon=0.0):
        flows = [payment] * n
        flows[-1] += balloon
        return flows

    irr_specs = [
        (0.01, lease(36, 1e5)), (0.004, lease(60, 4.5e7)), (0.005, lease(360, 1610.46)),
        (0.0125, lease(60, 4.5e7, 3e8)), (0.02, lease(36, 1e5, -2e5)), (0.0, lease(60, 1e5)),
        (-0.01, lease(36, 1e5)), (-0.03, lease(60, 4.5e7)), (-0.002, lease(360, 1000.0)),
        (-0.25, lease(10, 100.0)), (-0.6, lease(5, 100.0)), (-0.9, lease(4, 50.0)),
        (1.5, lease(10, 100.0)), (3.0, lease(6, 1000.0)), (0.75, lease(12, 1e6, 5e6)),
        (0.08, lease(5, 3e5, 1e6)), (0.12, lease(7, 2.5e5)), (0.0001, lease(360, 10.0)),
        (0.03, lease(360, 2e5)), (-0.0005, lease(120, 5e4, 1e6)),
    ]
    for _ in range(20):
        n = rng.choice([12, 36, 60, 84, 120, 360])
        rate = rng.choice([rng.uniform(-0.05, 0.05), rng.uniform(0.0, 0.02), rng.uniform(-0.5, 2.0)])
        later = [round(rng.uniform(1e4, 1e5), 2) for _ in range(n)]
        later[-1] += round(rng.uniform(0, 5e5), 2)
        irr_specs.append((rate, later))
    for rate, later in irr_specs:
        flows = constructed_irr(rate, later, range(1, len(later) + 1))
        add("IRR", [], flows, reference=repr(float(rate)))
        add("IRR", [-0.5 if rate < 0 else 0.5], flows, reference=repr(float(rate)))

    # XIRR on irregular dates, also built from a known rate.
    for _ in range(30):
        n = rng.choice([3, 12, 40, 61, 120, 361])
        rate = rng.choice([rng.uniform(-0.5, -0.01), rng.uniform(0.01, 0.3), rng.uniform(0.5, 4.0)])
        d0 = rng.randint(43000, 47000)
        dates = [d0] + sorted(d0 + rng.randint(1, 30 * n) for _ in range(n - 1))
        later = [round(rng.uniform(1e3, 1e5), 2) for _ in range(n - 1)]
        flows = constructed_irr(rate, later, [mpmath.mpf(d - d0) / 365 for d in dates[1:]])
        add("XIRR", [], flows, dates, reference=repr(float(rate)))
    # Monthly XIRR with dates one calendar month apart (serial days of the 1st of each month).
    import datetime
    base = datetime.date(1899, 12, 30)
    for rate, n in ((0.08, 60), (0.15, 360), (-0.2, 60), (2.5, 36)):
        dates = []
        for k in range(n + 1):
            y, m = divmod(2025 * 12 + k, 12)
            dates.append((datetime.date(y, m + 1, 1) - base).days)
        later = [50000.0] * n
        flows = constructed_irr(rate, later, [mpmath.mpf(d - dates[0]) / 365 for d in dates[1:]])
        add("XIRR", [], flows, dates, reference=repr(float(rate)))
    return cases


def fin_formula(c):
    f, a, v, d = c["function"], c["args"], c["values"], c["dates"]
    if f in ("NPV",):
        return "NPV(%s;%s)" % (num(a[0]), array(v))
    if f == "XNPV":
        return "XNPV(%s;%s;%s)" % (num(a[0]), array(v), array(d))
    if f == "IRR":
        return "IRR(%s)" % ";".join([array(v)] + [num(x) for x in a])
    if f == "XIRR":
        return "XIRR(%s)" % ";".join([array(v), array(d)] + [num(x) for x in a])
    if f == "MIRR":
        return "MIRR(%s;%s;%s)" % (array(v), num(a[0]), num(a[1]))
    return "%s(%s)" % (f, ";".join(num(x) for x in a))


def write_fin():
    cases = fin_cases(random.Random(20250601))
    results = run_calc([fin_formula(c) for c in cases])
    path = os.path.join(HERE, "fin_golden.csv")
    failures = 0
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        # args, values and dates are ';'-separated lists; libreoffice is a number or error:TEXT;
        # reference is the known true answer where the flows were built from a rate (else empty).
        w.writerow(["function", "args", "values", "dates", "libreoffice", "reference"])
        for c, r in zip(cases, results):
            if not isinstance(r, float) or (c["function"] in ("IRR", "XIRR") and r <= -1):
                failures += 1
            if not isinstance(r, float) and not c["reference"]:
                sys.exit(f"Calc failed on {c['function']} {c['args']}: {r}")
            w.writerow([c["function"].lower(), ";".join(num(x) for x in c["args"]),
                        ";".join(num(x) for x in c["values"]), ";".join(str(x) for x in c["dates"]),
                        fmt_result(r), c["reference"]])
    print(f"{path}: {len(cases)} rows, Calc failed on {failures} IRR/XIRR cases")


if __name__ == "__main__":
    which = sys.argv[1:] or ["depreciation", "depreciation_by_year", "fin"]
    if "depreciation" in which:
        write_depreciation()
    if "depreciation_by_year" in which:
        write_depreciation_by_year()
    if "fin" in which:
        write_fin()
