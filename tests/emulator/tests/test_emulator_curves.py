# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress curves: shape, bounds, monotony and the determinism of jumpy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.emulator import curves

FRACTIONS = [i / 1000 for i in range(1001)]


@pytest.mark.parametrize("curve", curves.CURVES)
def test_every_curve_is_an_int_from_0_to_99_and_never_goes_back(curve):
    values = [curves.percent(curve, f, seed="t-abc") for f in FRACTIONS]
    assert all(isinstance(v, int) and 0 <= v <= 99 for v in values)
    assert values == sorted(values)
    assert values[0] == 0
    # jumpy may sit on its last step until the end, when the caller reports 100.
    assert values[-1] == (curves.jumpy_steps("t-abc")[-1][1] if curve == "jumpy" else 99)


@pytest.mark.parametrize("curve", curves.CURVES)
def test_fractions_outside_0_1_are_clamped(curve):
    assert curves.percent(curve, -3, seed="x") == 0
    assert curves.percent(curve, 7.5, seed="x") == curves.percent(curve, 1, seed="x")


def test_linear_is_the_fraction_and_the_default():
    assert curves.DEFAULT_CURVE == "linear"
    assert [curves.percent("linear", f) for f in (0, 0.25, 0.29, 0.5, 0.999)] == [0, 25, 29, 50, 99]


def test_slow_start_lags_linear_then_catches_up():
    assert curves.percent("slow_start", 0.5) == 25
    assert curves.percent("slow_start", 0.1) == 1
    for f in (0.1, 0.3, 0.5, 0.7, 0.9):
        assert curves.percent("slow_start", f) < curves.percent("linear", f)


def test_plateau_runs_fast_then_stays_then_finishes():
    assert curves.percent("plateau", 0.1) == 40
    assert {curves.percent("plateau", f) for f in (0.2, 0.4, 0.6, 0.89)} == {80}
    assert curves.percent("plateau", 0.95) == 90


def test_jumpy_is_steps_drawn_from_the_seed():
    steps = curves.jumpy_steps("t-one")
    assert 3 <= len(steps) <= 6
    values = {curves.percent("jumpy", f, seed="t-one") for f in FRACTIONS[:-1]}
    # Flat steps: only the step levels (and 0 before the first) are ever reported.
    assert values <= {0} | {level for dummy, level in steps}
    at, level = steps[0]
    assert curves.percent("jumpy", at - 0.001, seed="t-one") == 0
    assert curves.percent("jumpy", at, seed="t-one") == level
    assert curves.jumpy_steps("t-one") == steps
    assert any(curves.jumpy_steps("t-%d" % n) != steps for n in range(5))


def test_jumpy_is_the_same_in_another_process():
    # str hashes differ per process; the curve must not.
    code = "from tests.emulator import curves; print(curves.jumpy_steps('m-seed'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345"})
    assert other.stdout.strip() == str(curves.jumpy_steps("m-seed"))


def test_unknown_curve_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="progress_curve must be one of linear, slow_start, plateau, jumpy, got 'steep'"):
        curves.percent("steep", 0.5)
    assert curves.check_curve("plateau") == "plateau"
