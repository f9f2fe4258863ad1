# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one redactor: secrets masked in text and in results, however they are echoed.

Messages are built never to hold a secret; this is the last line of defence
against what a server or a library echoes back. See docs/architecture.md.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, TypeVar, overload

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

_T = TypeVar("_T")

MASK = "********"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words
# A run of this many characters of a secret is an echo of it (a server cutting it short).
PARTIAL_ECHO = 10
_HEX = frozenset("0123456789abcdefABCDEF")


def _decoded_view(text):
    """``text`` with %XX escapes (either case, nested twice) decoded, and for each char its span in ``text``."""
    chars = list(text)
    spans = [(index, index + 1) for index in range(len(text))]
    for dummy in range(2):
        if "%" not in chars:
            break
        out, out_spans, index = [], [], 0
        while index < len(chars):
            if chars[index] == "%" and index + 2 < len(chars) and chars[index + 1] in _HEX and chars[index + 2] in _HEX:
                out.append(chr(int(chars[index + 1] + chars[index + 2], 16)))
                out_spans.append((spans[index][0], spans[index + 2][1]))
                index += 3
            else:
                out.append(chars[index])
                out_spans.append(spans[index])
                index += 1
        chars, spans = out, out_spans
    return "".join(chars), spans


def _base64_forms(secret):
    """The stable middle of the secret's base64 at each of the three alignments, standard and URL-safe."""
    data = secret.encode("utf-8")
    forms = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode("ascii").rstrip("=")
        # Characters touching the prefix or the end depend on the neighbours: drop them.
        middle = encoded[(shift * 4 + 2) // 3 + 1:-2]
        if len(middle) >= PARTIAL_ECHO:
            forms.extend([middle, middle.replace("+", "-").replace("/", "_")])
    return forms


class Redactor(object):
    """Masks secrets in text: raw, percent-encoded in any mix and case (once or twice), base64, or in part.

    The one redactor of the collection: results, error messages and
    excerpts of answers all go through it.
    """

    def __init__(self, secrets: Iterable[object]) -> None:
        forms = set()
        for secret in secrets:
            if isinstance(secret, str) and len(secret) >= MIN_SECRET_LENGTH:
                forms.add(secret)
                forms.update(_base64_forms(secret))
        self._grams: dict[int, set[str]] = {}
        for form in forms:
            size = min(len(form), PARTIAL_ECHO)
            self._grams.setdefault(size, set()).update(form[index:index + size] for index in range(len(form) - size + 1))

    @classmethod
    def for_credentials(cls, creds: object, *extra: str | None) -> Redactor:
        return cls([getattr(creds, "access_key_secret", None), getattr(creds, "security_token", None)] + list(extra))

    def __bool__(self) -> bool:
        return bool(self._grams)

    def _hits(self, view):
        hits = [False] * len(view)
        for size, grams in self._grams.items():
            for index in range(len(view) - size + 1):
                if view[index:index + size] in grams:
                    hits[index:index + size] = [True] * size
        return hits

    @overload
    def __call__(self, text: str) -> str:
        ...

    @overload
    def __call__(self, text: _T) -> _T:  # anything but a string comes back as it is
        ...

    def __call__(self, text: object) -> object:
        if not self._grams or not isinstance(text, str) or len(text) < MIN_SECRET_LENGTH:
            return text
        covered = [False] * len(text)
        view, spans = _decoded_view(text)
        for index, hit in enumerate(self._hits(view)):
            if hit:
                start, end = spans[index]
                covered[start:end] = [True] * (end - start)
        if "%" in text:  # a secret that holds a literal "%xx" is only found undecoded
            covered = [a or b for a, b in zip(covered, self._hits(text))]
        if not any(covered):
            return text
        out, index = [], 0
        while index < len(text):
            if covered[index]:
                while index < len(text) and covered[index]:
                    index += 1
                out.append(MASK)
            else:
                out.append(text[index])
                index += 1
        return "".join(out)


def redact_text(text: str, secrets: Iterable[object]) -> str:
    return Redactor(secrets)(text)


def _redact(value, redactor):
    if isinstance(value, str):
        return redactor(value)
    if isinstance(value, dict):
        return {_redact(key, redactor): _redact(item, redactor) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact(item, redactor) for item in value]
    return value


@overload
def redact_result(value: dict, secrets: Redactor | Iterable[str | None]) -> dict:
    ...


@overload
def redact_result(value: str, secrets: Redactor | Iterable[str | None]) -> str:
    ...


@overload
def redact_result(value: object, secrets: Redactor | Iterable[str | None]) -> object:
    ...


def redact_result(value: object, secrets: Redactor | Iterable[str | None]) -> object:
    """A copy of ``value`` (dicts, lists, strings) with every secret masked."""
    redactor = secrets if isinstance(secrets, Redactor) else Redactor([s for s in secrets if s])
    if not redactor:
        return value
    return _redact(value, redactor)
