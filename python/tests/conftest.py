"""Shared fixtures: the source tree, the `leasecalc` command built beside the module, and the
command's own JSON, against which the module's figures are checked."""
import json
import math
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("LEASECALC_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
MODELS = SOURCE_DIR / "models"
STANDARD = MODELS / "guosen-2025-standard-10k.yaml"
US_H100 = MODELS / "us-h100-take-or-pay.yaml"


def bundled_models():
    return sorted(MODELS.glob("*.yaml"))


@pytest.fixture(scope="session")
def cli():
    """Runs `leasecalc ARGS... --format json` and returns the parsed document."""
    exe = os.environ.get("LEASECALC_EXE")
    if not exe:
        pytest.skip("LEASECALC_EXE is not set (ctest sets it)")

    def call(*args, expect_status=0):
        done = subprocess.run([exe, *map(str, args), "--format", "json"], capture_output=True, text=True, cwd=SOURCE_DIR)
        assert done.returncode == expect_status, done.stderr
        return json.loads(done.stdout)

    return call


def assert_same_figures(actual, expected, path="", cents=0.005):
    """The same document to the cent: the same keys, the same text, amounts within half a cent
    (rates and multiples, being small numbers, then agree to many more digits)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert sorted(actual) == sorted(expected), path
        for key in expected:
            assert_same_figures(actual[key], expected[key], f"{path}.{key}", cents)
    elif isinstance(expected, list):
        actual = list(actual)
        assert len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same_figures(a, e, f"{path}[{i}]", cents)
    elif isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert actual == expected, path
    else:
        a = float(actual)
        assert math.isclose(a, expected, abs_tol=cents), f"{path}: {a} != {expected}"
