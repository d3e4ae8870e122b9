#!/usr/bin/python3
"""The workbooks as a user opens them: every bundled model's `--xlsx` workbook (and those of
sensitivity, montecarlo, bid and compare) is recalculated by LibreOffice Calc, headless, and every
formula cell must come back to the engine's figure that the writer cached in it: amounts to the
cent, rates and multiples to 1e-9 relative. The engine column of the Returns sheet is checked
against `leasecalc run --format json` besides.

usage: xlsx_recalc_check.py LEASECALC MODELS_DIR WORK_DIR
Exits 77 (skipped) when LibreOffice is not installed: scripts/setup.sh installs libreoffice-calc-nogui.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

SKIPPED = 77
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
RATE_BUILTIN_FORMATS = {9, 10}  # 0% and 0.00%

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def sheets_of(path):
    """{sheet name: {cell: (formula or None, type, value text, style index)}} and the number formats
    by style index."""
    with zipfile.ZipFile(path) as z:
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        codes = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.findall("m:numFmts/m:numFmt", NS)}
        formats = []
        for xf in styles.findall("m:cellXfs/m:xf", NS):
            number_format = int(xf.get("numFmtId", "0"))
            formats.append("0.00%" if number_format in RATE_BUILTIN_FORMATS else codes.get(number_format, ""))
        result = {}
        for sheet in workbook.findall("m:sheets/m:sheet", NS):
            file = target[sheet.get("{%s}id" % NS["r"])].lstrip("/")
            file = file if file.startswith("xl/") else "xl/" + file
            cells = {}
            for c in ET.fromstring(z.read(file)).iter("{%s}c" % NS["m"]):
                f = c.find("m:f", NS)
                v = c.find("m:v", NS)
                kind = c.get("t", "n")
                value = v.text if v is not None else None
                if kind == "s" and value is not None:
                    value = shared[int(value)]
                cells[c.get("r")] = (f.text if f is not None else None, kind, value, int(c.get("s", "0")))
            result[sheet.get("name")] = cells
        charts = sum(1 for name in z.namelist() if name.startswith("xl/charts/chart"))
        return result, formats, charts


def is_relative(number_format):
    return "%" in number_format or '"x"' in number_format


def close(engine, recalculated, relative):
    if relative:
        scale = max(abs(engine), abs(recalculated))
        return abs(engine - recalculated) <= (1e-9 * scale if engine != 0 else 1e-9)
    return abs(engine - recalculated) <= 0.005  # to the cent


def compare(name, original, recalculated):
    """Every formula cell of `original` (the engine's figure cached) against LibreOffice's value."""
    sheets, formats, charts = sheets_of(original)
    recalc, _, _ = sheets_of(recalculated)
    checked = 0
    for sheet, cells in sheets.items():
        for ref, (formula, kind, cached, style) in cells.items():
            if formula is None:
                continue
            got = recalc.get(sheet, {}).get(ref)
            where = "%s: %s!%s =%s" % (name, sheet, ref, formula[:80])
            if got is None or got[0] is None:
                fail(where + ": LibreOffice lost the formula")
                continue
            if kind == "str":
                if got[2] != cached:
                    fail("%s: engine %r, LibreOffice %r" % (where, cached, got[2]))
            else:
                if got[1] in ("e", "str") or got[2] is None:
                    fail("%s: engine %s, LibreOffice %r" % (where, cached, got[2]))
                    continue
                engine, value = float(cached), float(got[2])
                if not close(engine, value, is_relative(formats[style])):
                    fail("%s: engine %r, LibreOffice %r (difference %.3g)" % (where, engine, value, value - engine))
            checked += 1
    return sheets, checked, charts


def engine_column(sheets, returns):
    """The Returns sheet's engine figures by metric label."""
    cells = sheets[returns]
    figures = {}
    row = 2
    while ("A%d" % row) in cells:
        label, value = cells["A%d" % row][2], cells.get("C%d" % row)
        if value is not None and value[1] == "n":
            figures[label] = float(value[2])
        row += 1
    return figures


def main():
    leasecalc, models_dir, work = sys.argv[1:4]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("skipped: LibreOffice (soffice) is not installed; scripts/setup.sh installs libreoffice-calc-nogui")
        return SKIPPED
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    models = sorted(f for f in os.listdir(models_dir) if f.endswith(".yaml"))
    books = {}  # workbook file -> the run's JSON where there is one
    for model in models:
        book = os.path.join(work, "run-" + model[:-5] + ".xlsx")
        out = subprocess.run([leasecalc, "run", os.path.join(models_dir, model), "--format", "json", "--xlsx", book],
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0 or not os.path.exists(book):
            fail("run %s --xlsx: exit %d: %s" % (model, out.returncode, out.stderr.strip()))
            continue
        books[book] = json.loads(out.stdout)
    first = os.path.join(models_dir, "us-h100-take-or-pay.yaml")
    studies = {
        "sensitivity": ["sensitivity", first, "--grid"],
        "montecarlo": ["montecarlo", first, "--runs", "300", "--threads", "2"],
        "bid": ["bid", first, "--target", "equity-irr", "15%", "--terms", "48,60"],
        "compare": ["compare", os.path.join(models_dir, "rent-vs-build-rent.yaml"),
                    os.path.join(models_dir, "rent-vs-build-build.yaml")],
    }
    for name, args in studies.items():
        book = os.path.join(work, name + ".xlsx")
        out = subprocess.run([leasecalc] + args + ["--format", "csv", "--xlsx", book], capture_output=True, text=True,
                             timeout=300)
        if out.returncode not in (0, 1) or not os.path.exists(book):
            fail("%s --xlsx: exit %d: %s" % (name, out.returncode, out.stderr.strip()))
            continue
        books[book] = None

    # One LibreOffice start for every workbook: a private profile that recalculates on load.
    profile = os.path.join(work, "profile")
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
                '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
                '</oor:items>\n')
    recalculated = os.path.join(work, "recalculated")
    convert = subprocess.run([soffice, "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                              "--convert-to", "xlsx", "--outdir", recalculated] + sorted(books),
                             capture_output=True, text=True, timeout=600)
    if convert.returncode != 0:
        fail("LibreOffice failed: " + convert.stderr.strip())

    total = 0
    for book, run_json in sorted(books.items()):
        name = os.path.basename(book)
        again = os.path.join(recalculated, name)
        if not os.path.exists(again):
            fail(name + ": LibreOffice wrote no recalculated copy")
            continue
        sheets, checked, charts = compare(name, book, again)
        total += checked
        returns = [s for s in sheets if s.startswith("Returns")]
        for stem in ("Inputs", "Monthly", "Annual", "Returns", "Charts"):
            if not any(s.startswith(stem) for s in sheets):
                fail("%s: no %s sheet" % (name, stem))
        if charts < 4:
            fail("%s: %d charts, expected at least 4" % (name, charts))
        formulas = {s: sum(1 for c in cells.values() if c[0]) for s, cells in sheets.items()}
        for sheet, count in formulas.items():
            if sheet.startswith(("Monthly", "Annual", "Returns")) and count == 0:
                fail("%s: no formula on %s" % (name, sheet))
        if name.startswith("sensitivity") and formulas.get("Tornado", 0) == 0:
            fail(name + ": no formula on Tornado")
        if name.startswith("montecarlo") and formulas.get("Monte Carlo", 0) == 0:
            fail(name + ": no formula on Monte Carlo")
        if run_json is not None and returns:
            # The engine column is the engine's: the same figures as `run --format json`.
            figures = engine_column(sheets, returns[0])
            r = run_json["returns"]
            expected = {"Project IRR, pre-tax": r["project_irr_pre_tax"]["rate"],
                        "Project IRR, post-tax": r["project_irr_post_tax"]["rate"],
                        "Equity IRR": r["equity_irr"]["rate"], "Project NPV": r["project_npv"],
                        "Equity NPV": r["equity_npv"], "MOIC": r["moic"], "Minimum DSCR": r["minimum_dscr"],
                        "Average DSCR": r["average_dscr"]}
            for label, value in expected.items():
                if value is None:
                    if label in figures:
                        fail("%s: Returns shows %s = %r where the engine has none" % (name, label, figures[label]))
                elif label not in figures:
                    fail("%s: Returns has no engine figure for %s" % (name, label))
                elif not math.isclose(figures[label], value, rel_tol=1e-12, abs_tol=1e-9):
                    fail("%s: Returns' engine %s %r, run --format json %r" % (name, label, figures[label], value))
        print("%s: %d formula cells recalculated to the engine's figures, %d charts" % (name, checked, charts))
    print("%d workbooks, %d formula cells checked" % (len(books), total))
    if total == 0:
        fail("no formula cell was checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
