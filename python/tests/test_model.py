"""The module's figures are the command's: every bundled model's `run`, the monthly ledger, quotes,
bids, sensitivities and Monte Carlo ranges, checked against `leasecalc ... --format json`."""
import datetime
import json
import pathlib
import re

import numpy as np
import pytest
import yaml

import leasecalc
from conftest import MODELS, STANDARD, US_H100, assert_same_figures, bundled_models

PRICE = "contracts[0].take_or_pay.price"


@pytest.mark.parametrize("model", bundled_models(), ids=lambda p: p.stem)
def test_run_equals_the_command_to_the_cent(model, cli):
    path = str(model.relative_to(model.parents[1]))  # as the command is given it, so warnings name the same file
    expected = cli("run", path)
    actual = leasecalc.load(model.parents[1] / path).run()
    for warning in expected["warnings"]:
        warning["file"] = str(model.parents[1] / warning["file"])
    assert_same_figures(actual, expected)


def test_fast_run_equals_the_command(cli):
    assert_same_figures(leasecalc.load(US_H100).run(exact=False), cli("run", US_H100, "--fast"))


def test_break_even_target_and_basis_as_the_command(cli):
    expected = cli("run", STANDARD, "--target-irr", "12%", "--basis", "equity")
    assert_same_figures(leasecalc.load(STANDARD).run(target_irr=0.12, basis="equity"), expected)


def test_monthly_ledger_as_numpy_arrays(cli):
    expected = cli("run", STANDARD, "--monthly")["ledger"]
    ledger = leasecalc.load(STANDARD).run(monthly=True)["ledger"]
    months = ledger["months"]
    assert months.dtype == np.dtype("datetime64[M]")
    assert [str(m) for m in months] == expected["months"]
    assert sorted(ledger["lines"]) == sorted(expected["lines"])
    for key, values in expected["lines"].items():
        line = ledger["lines"][key]
        assert isinstance(line, np.ndarray) and line.dtype == np.float64 and line.shape == (len(months),)
        np.testing.assert_allclose(line, values, rtol=0, atol=0.005, err_msg=key)


def test_text_json_and_dict_load_the_same_deal():
    text = STANDARD.read_text()
    base = leasecalc.load(STANDARD).run(exact=False)
    as_dict = yaml.safe_load(text)
    # JSON has no dates: written as text, as a JSON model writes them.
    as_json = json.dumps(as_dict, default=lambda value: value.isoformat())
    for model in (leasecalc.from_yaml(text, directory=MODELS), leasecalc.load(text, directory=MODELS),
                  leasecalc.from_json(as_json, directory=MODELS), leasecalc.load(as_json, directory=MODELS),
                  leasecalc.from_dict(as_dict, directory=MODELS), leasecalc.load(as_dict, directory=MODELS)):
        result = model.run(exact=False)
        # The same warnings, each at its place in the text the model was given.
        assert [w["field"] for w in result.pop("warnings")] == [w["field"] for w in base["warnings"]]
        assert_same_figures(result, {k: v for k, v in base.items() if k != "warnings"}, cents=0)
    assert leasecalc.load(pathlib.Path(STANDARD)).name == "guosen-2025-standard-10k"


def test_quote_with_overrides_equals_the_command_on_the_edited_file(cli, tmp_path):
    edited = tmp_path / "edited.yaml"
    edited.write_text(re.sub(r"price: 62663 CNY/server-month", "price: 60000 CNY/server-month", STANDARD.read_text()))
    # The edited copy names the bundled catalogue, as the original finds it beside itself.
    edited.write_text(f"catalog: {MODELS / 'catalog' / 'gpus.yaml'}\n" + edited.read_text())
    expected = cli("run", edited, "--fast")
    quote = leasecalc.load(STANDARD).quote({PRICE: "60000 CNY/server-month"})
    assert quote["schema"] == "leasecalc.quote/1"
    assert quote["model"] == "guosen-2025-standard-10k"
    for section in ("summary", "returns", "break_even"):
        assert_same_figures(quote[section], expected[section])
    unchanged = leasecalc.load(STANDARD).quote()
    assert unchanged["returns"]["equity_irr"]["rate"] > quote["returns"]["equity_irr"]["rate"]


def test_quote_overrides_take_numbers_and_sections():
    model = leasecalc.load(STANDARD)
    by_text = model.quote({"financing[0].rate": "6%", "cluster.servers": "1024"})
    by_number = model.quote({"financing[0].rate": 0.06, "cluster.servers": 1024})
    assert by_text == by_number
    section = model.quote({"depreciation.book": {"method": "straight_line", "life": "48 months", "salvage": "5%"}})
    assert section["summary"] != model.quote()["summary"]


def test_a_bad_override_raises_the_located_input_error():
    model = leasecalc.load(STANDARD)
    with pytest.raises(leasecalc.InputError) as caught:
        model.quote({PRICE: "sixty thousand"})
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.field == PRICE
    assert PRICE in str(error) and "sixty thousand" in str(error)
    with pytest.raises(leasecalc.InputError) as caught:
        model.quote({"contracts[7].take_or_pay.price": "1 CNY/server-month"})
    assert "contracts[7]" in str(caught.value)
    with pytest.raises(TypeError):
        model.quote({PRICE: object()})


def test_a_bad_model_raises_what_the_command_prints(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(STANDARD.read_text().replace("discount_rate: 8%", "discount_rate: eight percent"))
    with pytest.raises(leasecalc.InputError) as caught:
        leasecalc.load(broken, catalog=MODELS / "catalog" / "gpus.yaml")
    error = caught.value
    assert error.file == str(broken)
    assert error.field == "deal.discount_rate"
    lines = broken.read_text().splitlines()
    assert "discount_rate: eight percent" in lines[error.line - 1]
    assert lines[error.line - 1][error.column - 1:].startswith("eight percent")
    assert str(error).startswith(f"{broken}:{error.line}:{error.column}: deal.discount_rate: ")
    with pytest.raises(leasecalc.InputError):
        leasecalc.load(tmp_path / "missing.yaml")
    with pytest.raises(leasecalc.InputError) as caught:
        leasecalc.from_dict({"deal": {"name": "x"}}, name="inline")
    assert str(caught.value).startswith("inline")


def test_bid_equals_the_command(cli):
    expected = cli("bid", US_H100, "--target", "equity-irr", "15%", "--terms", "36,48", "--prepayment", "0%,15%", "--fast")
    actual = leasecalc.load(US_H100).bid("equity-irr", "15%", terms=[36, 48], prepayment=["0%", 0.15])
    assert_same_figures(actual, expected)
    with pytest.raises(leasecalc.InputError):
        leasecalc.load(US_H100).bid("equity-irr", "15%", contract="no such contract")


def test_bid_over_credit_classes_equals_the_command(cli):
    expected = cli("bid", US_H100, "--target", "equity-irr", "15%", "--credit", "investment_grade,unrated", "--fast")
    actual = leasecalc.load(US_H100).bid("equity-irr", "15%", credit=["investment_grade", "unrated"])
    assert_same_figures(actual, expected)
    assert [b["credit_class"] for b in actual["bids"]] == ["investment_grade", "unrated"]
    one = leasecalc.load(US_H100).bid("equity-irr", "15%", credit="unrated")
    assert_same_figures(one["bids"], expected["bids"][1:])
    with pytest.raises(leasecalc.InputError) as caught:
        leasecalc.load(US_H100).bid("equity-irr", "15%", credit=["investment_grade", "junk"])
    assert caught.value.field == "credit[1]"


def test_with_overrides_then_run_equals_the_command_on_the_edited_file(cli, tmp_path):
    text = STANDARD.read_text()
    edited = tmp_path / "guosen-2025-standard-10k.yaml"
    changed = text.replace("price: 62663 CNY/server-month", "price: 60000 CNY/server-month")
    assert changed != text, "the model's contract price changed; update the test's edit"
    # The edited copy names the bundled catalogue, as the original finds it beside itself.
    edited.write_text(f"catalog: {MODELS / 'catalog' / 'gpus.yaml'}\n" + changed)
    base = leasecalc.load(STANDARD)
    model = base.with_overrides({PRICE: "60000 CNY/server-month"})
    assert isinstance(model, leasecalc.Model) and model.name == base.name
    for exact, flags in ((True, ()), (False, ("--fast",))):
        expected = cli("run", edited, *flags)
        actual = model.run(exact=exact)
        for section in ("summary", "returns", "break_even", "income_statement", "cash_flow", "balance_sheet", "by_year"):
            assert_same_figures(actual[section], expected[section])
    # The original is unchanged, and the new model quotes as the original quotes with the override.
    assert base.run(exact=False)["break_even"]["prices"][0]["quoted_price"] == 62663
    assert model.quote() == base.quote({PRICE: "60000 CNY/server-month"})
    # Overrides of a model with overrides: the last one read wins, as in a quote.
    again = model.with_overrides({PRICE: "61000 CNY/server-month"})
    assert again.quote()["break_even"]["prices"][0]["quoted_price"] == 61000


def test_with_overrides_refuses_as_a_quote_does():
    base = leasecalc.load(STANDARD)
    with pytest.raises(leasecalc.InputError) as caught:
        base.with_overrides({"contracts[7].take_or_pay.price": "1 CNY/server-month"})
    assert caught.value.field == "contracts[7].take_or_pay.price"
    with pytest.raises(leasecalc.InputError) as caught:
        base.with_overrides({PRICE: "sixty thousand"})
    assert caught.value.field == PRICE
    with pytest.raises(leasecalc.InputError) as caught:
        base.with_overrides({PRICE: None})
    assert caught.value.field == "overrides." + PRICE
    with pytest.raises(TypeError):
        base.with_overrides(["not", "a", "dict"])


def test_sensitivity_equals_the_command(cli):
    expected = cli("sensitivity", STANDARD, "--grid", "--shock", "5%", "--metric", "equity_irr")
    assert_same_figures(leasecalc.load(STANDARD).sensitivity(shock=0.05, metric="equity_irr", grid=True), expected)


def test_montecarlo_equals_the_command_and_gives_every_scenario(cli):
    expected = cli("montecarlo", US_H100, "--runs", "300", "--seed", "7", "--threads", "1")
    actual = leasecalc.load(US_H100).montecarlo(runs=300, seed=7, threads=2)
    for key in ("seconds", "threads"):
        expected.pop(key, None)
    outcomes, changes = actual.pop("outcomes"), actual.pop("changes")
    for key in ("seconds", "threads"):
        actual.pop(key, None)
    assert_same_figures(actual, expected)
    for measure, summary in expected["measures"].items():
        values = outcomes[measure]
        assert values.shape == (300,)
        assert int(np.isnan(values).sum()) == summary["without"]
        if summary["scenarios"]:
            assert_same_figures(leasecalc.summarise(values), {k: summary[k] for k in ("scenarios", "mean", "sd", "p5", "p25", "p50", "p75", "p95")})
    assert np.mean(outcomes["npv"] < 0) == pytest.approx(expected["probability_npv_negative"])
    assert sorted(changes) == sorted(i["input"] for i in expected["inputs"])
    assert leasecalc.summarise(np.full(3, np.nan)) is None


def test_model_properties():
    model = leasecalc.load(US_H100)
    assert model.currency == "USD"
    assert model.horizon_months > 0
    assert model.name == "us-h100-take-or-pay"
    assert isinstance(model.warnings, list)
    assert "us-h100-take-or-pay" in repr(model)
