# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The name a user meant: the closest known spelling, and whether a miss is so near that it can only be a typo.

One rule for states, actions and option names. See docs/waiting.md (States) and docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

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
