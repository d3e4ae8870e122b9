"""The spreadsheet functions against their closed forms, and the module against the command."""
import datetime
import math
import subprocess
import os

import numpy as np
import pytest

import leasecalc


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def test_every_function_of_the_table_is_in_the_module():
    names = [f["name"] for f in leasecalc.spreadsheet_functions()]
    assert {"npv", "xnpv", "irr", "xirr", "mirr", "pmt", "ipmt", "ppmt", "pv", "fv", "nper", "rate", "sln", "syd",
            "db", "ddb", "vdb", "macrs"} <= set(names)
    for name in names:
        assert callable(getattr(leasecalc, name))
        assert getattr(leasecalc, name).__doc__.startswith(name + "(")


def test_annuity_functions_against_closed_forms():
    r, n, pv = 0.004, 60, -2.26e9
    g = (1 + r) ** n
    payment = -pv * r * g / (g - 1)
    assert close(leasecalc.pmt(r, n, pv), payment)
    assert close(leasecalc.pmt(r, n, pv, 0, 1), payment / (1 + r))
    assert close(leasecalc.pv(r, n, payment), -payment * (1 - 1 / g) / r)
    assert close(leasecalc.fv(r, n, -1000.0), 1000.0 * (g - 1) / r)
    assert close(leasecalc.fv(r, n, 0, pv=-500.0), 500.0 * g)  # a keyword skips FV's optional PMT order
    assert close(leasecalc.nper(r, payment, pv), n, 1e-9)
    assert close(leasecalc.rate(n, payment, pv), r, 1e-9)
    assert close(leasecalc.ipmt(r, 1, n, pv), -pv * r)
    assert close(leasecalc.ipmt(r, 1, n, pv) + leasecalc.ppmt(r, 1, n, pv), payment)
    assert close(leasecalc.pmt("0.4%", "60", "-2.26e9"), payment)  # text in the grammar of model files
    assert close(leasecalc.pmt(0, 10, -1000), 100)


def test_cash_flow_functions_against_closed_forms():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    rate = 0.07
    assert close(leasecalc.npv(rate, flows), sum(v / (1 + rate) ** (i + 1) for i, v in enumerate(flows)))
    assert close(leasecalc.npv(rate=rate, values=np.array(flows)), leasecalc.npv(rate, flows))
    found = leasecalc.irr(flows)
    assert abs(sum(v / (1 + found) ** i for i, v in enumerate(flows))) < 1e-7
    assert close(leasecalc.irr([-100, 110]), 0.1)
    start = datetime.date(2025, 1, 1)
    assert close(leasecalc.xirr([-1000, 1100], [start, start + datetime.timedelta(days=365)]), 0.1, 1e-10)
    assert close(leasecalc.xnpv(0.1, [-1000, 1100], ["2025-01-01", "2026-01-01"]), 0.0)
    # MIRR: the positive flows compounded at the reinvestment rate, the negative discounted at the finance rate.
    f, re = 0.05, 0.08
    terminal = sum(v * (1 + re) ** (len(flows) - 1 - i) for i, v in enumerate(flows) if v > 0)
    present = -sum(v / (1 + f) ** i for i, v in enumerate(flows) if v < 0)
    assert close(leasecalc.mirr(flows, f, re), (terminal / present) ** (1 / (len(flows) - 1)) - 1)


def test_depreciation_against_closed_forms():
    cost, salvage, life = 10000.0, 1000.0, 5
    assert close(leasecalc.sln(cost, salvage, life), (cost - salvage) / life)
    assert close(leasecalc.syd(cost, salvage, life, 2), (cost - salvage) * (life - 2 + 1) / (life * (life + 1) / 2))
    assert close(leasecalc.ddb(cost, salvage, life, 1), cost * 2 / life)
    assert close(leasecalc.ddb(cost, salvage, life, 2), cost * (1 - 2 / life) * 2 / life)
    assert close(leasecalc.vdb(cost, salvage, life, 0, 1), cost * 2 / life)
    assert close(leasecalc.macrs(1000, 5, 1), 200.0)  # 5-year GDS, half-year: 20% in year one


def test_no_answer_and_bad_arguments():
    with pytest.raises(leasecalc.NoResult):
        leasecalc.irr([100, 200])
    with pytest.raises(ArithmeticError):
        leasecalc.irr([-100, -200])
    with pytest.raises(leasecalc.InputError) as caught:
        leasecalc.pmt(0.01, 10, 1000, 0, 2)
    assert "type" in str(caught.value)
    with pytest.raises(TypeError):
        leasecalc.pmt(0.01, 10)
    with pytest.raises(TypeError):
        leasecalc.pmt(0.01, 10, 1000, typo=1)
    with pytest.raises(leasecalc.InputError):
        leasecalc.xirr([-1, 2], ["2025-01-01"])
    with pytest.raises(leasecalc.InputError):
        leasecalc.calc("nosuch")


def test_calc_gives_the_note_and_the_command_the_same_value():
    several = leasecalc.calc("irr", [-100, 230, -132])  # roots 10% and 20%
    assert several["note"]
    assert any(close(several["value"], r, 1e-9) for r in (0.1, 0.2))
    exe = os.environ.get("LEASECALC_EXE")
    if exe:
        out = subprocess.run([exe, "calc", "pmt", "0.004", "60", "-2.26e9"], capture_output=True, text=True, check=True)
        assert float(out.stdout) == leasecalc.pmt(0.004, 60, -2.26e9)
