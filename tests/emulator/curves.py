# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress curves: how far along a piece of work says it is, as its time passes.

`percent(curve, fraction, seed)` maps the fraction of the duration elapsed
(0 to 1) to the percent the service would report: an int 0-99, never 100
(the caller reports 100 once the work has ended). Every curve is
non-decreasing in `fraction`, as the service's progress is.

- `linear` (default): the percent is the fraction elapsed.
- `slow_start`: little progress at first, most of it at the end (quadratic),
  so a prediction from early progress is far too late.
- `plateau`: fast to 80%, then stuck there for most of the time, then the
  rest at the end, so a prediction made on the plateau is far too early.
- `jumpy`: flat steps and sudden jumps, at points and heights drawn from
  `seed` (the task's or image's id), the same for the same seed in every
  process.
"""

from __future__ import annotations

import hashlib
import random

LINEAR = "linear"
SLOW_START = "slow_start"
PLATEAU = "plateau"
JUMPY = "jumpy"
CURVES = (LINEAR, SLOW_START, PLATEAU, JUMPY)
DEFAULT_CURVE = LINEAR

# plateau: 0 -> _PLATEAU_LEVEL over [0, _PLATEAU_START], flat until _PLATEAU_END, then on to 99.
_PLATEAU_LEVEL = 80
_PLATEAU_START = 0.2
_PLATEAU_END = 0.9


def check_curve(name: object) -> str:
    """The curve's name if it is one, else ValueError naming the choices."""
    if name not in CURVES:
        raise ValueError("progress_curve must be one of %s, got %r" % (", ".join(CURVES), name))
    return str(name)


def percent(curve: str, fraction: float, seed: object = "") -> int:
    """Percent done (int 0-99) once `fraction` of the duration has elapsed."""
    check_curve(curve)
    fraction = min(1.0, max(0.0, float(fraction)))
    if curve == SLOW_START:
        value = 100 * fraction * fraction
    elif curve == PLATEAU:
        value = _plateau(fraction)
    elif curve == JUMPY:
        value = _jumpy(fraction, seed)
    else:
        value = 100 * fraction
    # The epsilon keeps float error from reporting 0.29 of the time as 28%.
    return min(99, max(0, int(value + 1e-9)))


def _plateau(fraction: float) -> float:
    if fraction < _PLATEAU_START:
        return _PLATEAU_LEVEL * fraction / _PLATEAU_START
    if fraction < _PLATEAU_END:
        return _PLATEAU_LEVEL
    return _PLATEAU_LEVEL + (100 - _PLATEAU_LEVEL) * (fraction - _PLATEAU_END) / (1 - _PLATEAU_END)


def _jumpy(fraction: float, seed: object) -> float:
    steps = jumpy_steps(seed)
    value = 0
    for at, level in steps:
        if fraction < at:
            break
        value = level
    return value


def jumpy_steps(seed: object) -> list:
    """[(fraction, percent), ...]: where the jumpy curve for `seed` jumps, and to what."""
    # hash() of a str differs between processes; sha256 makes the seed stable everywhere.
    digest = hashlib.sha256(str(seed).encode("utf-8")).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    count = rng.randint(3, 6)
    points = sorted(rng.uniform(0.05, 0.95) for dummy in range(count))
    levels = sorted(rng.randint(1, 99) for dummy in range(count))
    return list(zip(points, levels))
