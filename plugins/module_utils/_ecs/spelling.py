# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The name a user meant: the closest known spelling, and whether a miss is so near that it can only be a typo.

One rule for states, actions and option names. See docs/waiting.md (States) and docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Sequence

# difflib's ratio from which a name is taken as a typo of a known one: one letter left out, doubled or
# swapped in a word of six or more (Finshed, ExportImages, target_state), or only the case differs.
NEAR_MISS = 0.8
# From which a known name is worth suggesting at all.
SUGGEST = 0.6


def closest(word: str, known: Iterable[str], cutoff: float = SUGGEST) -> str | None:
    """The known name spelt most like ``word`` (case ignored), if it is at least ``cutoff`` alike; else None."""
    import difflib  # only when a name is unknown: every module run would pay for its import otherwise

    by_lower: dict[str, str] = {}
    for name in known:
        by_lower.setdefault(name.lower(), name)
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[found[0]] if found else None


def near_miss(word: str, known: Iterable[str]) -> str | None:
    """The known name ``word`` misspells (another case, or a typo away), or None; None for a known name itself."""
    known = list(known)
    if word in known:
        return None
    return closest(word, known, NEAR_MISS)


def _folded(value: str) -> str:
    return value.strip().lower()


def choose(value: object, option: str, choices: Sequence[str], what: str, key: Callable[[str], str] = _folded,
           prefix: str = "") -> str:
    """The choice ``value`` names, spelt as ECS spells it: compared through ``key`` (case and surrounding space
    ignored by default); a ConfigError naming the option, the choices and the closest one otherwise (also when
    ``prefix`` was left out: ``essd`` for cloud_essd)."""
    import difflib  # only for a value that is not a choice, as in closest()

    if not isinstance(value, str) or not value.strip():
        raise ConfigError("%s must be a %s such as %s, got %s %r" % (option, what, choices[0], kind_of(value), value),
                          option=option)
    wanted = key(value)
    for choice in choices:
        if key(choice) == wanted:
            return choice
    text = "%s %r is not a %s ECS knows (%s)" % (option, value, what, ", ".join(choices))
    keys = [key(choice) for choice in choices]
    close = difflib.get_close_matches(wanted, keys, n=1) or difflib.get_close_matches(key(prefix + wanted), keys, n=1)
    if close:
        text += "; did you mean %s?" % next(choice for choice in choices if key(choice) == close[0])
    raise ConfigError(text, option=option)
