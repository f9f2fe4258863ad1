# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The limits a JMESPath condition runs within, so a costly one cannot hold a wait past its timeout.

Depth is checked when the condition is compiled (JMESPath's parser and
interpreter recurse once per level). Work is counted while it is evaluated:
each step (AST node visited) costs the size of the value it produced, counted
as a tree (``[@, @]`` doubles the size of ``@`` without copying it, and what
reads it later, ``to_string()`` or ``==``, walks the whole tree), so what a
step costs in time is bounded by what was paid for its inputs. The count is
deterministic: the same condition on the same answer always stops at the same
point. See docs/waiting.md ("Conditions").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

try:
    from jmespath.visitor import TreeInterpreter
except ImportError:  # pragma: no cover - acceptors.py says jmespath is missing before anything runs here
    # A base for the class below, never used then; the ignore: mypy takes the name for jmespath's class only.
    TreeInterpreter = object  # type: ignore[misc, assignment]

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any

# A condition on one task needs a few comparisons; these leave room for a hundred times that.
MAX_DEPTH = 100        # levels of the expression's syntax tree
MAX_WORK = 250000      # items produced, summed over the steps of one evaluation
CHARS_PER_ITEM = 16   # a string counts one item per this many characters

SIMPLIFY = ("test the fields the decision needs (e.g. TaskStatus == 'Finished' && percent(TaskProcess) >= `50`) "
            "instead of building lists or strings out of whole answers, or copying them over and over")


class OverBudget(Exception):
    """An evaluation went past MAX_WORK; the message says what it was doing."""


def syntax_depth(parsed: Mapping[str, Any]) -> int:
    """The depth of a JMESPath syntax tree (jmespath's ``parsed``), counted without recursion."""
    deepest, stack = 0, [(parsed, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in node.get("children") or ():
            if isinstance(child, dict):  # a slice's children are numbers
                stack.append((child, depth + 1))
    return deepest


def too_deep_message(option: str) -> str:
    return ("%s is nested more than %d levels deep (brackets, parentheses, operators); no test of a task needs "
            "that: write it flatter, e.g. a few comparisons joined with && or ||" % (option, MAX_DEPTH))


class BudgetInterpreter(TreeInterpreter):
    """jmespath's interpreter, counting the size of what each step produces; OverBudget past ``MAX_WORK``."""

    def __init__(self, options: Any = None, limit: int = MAX_WORK) -> None:
        super().__init__(options)
        self.limit = limit
        self.spent = 0
        self._sizes: dict[int, tuple[object, int]] = {}  # id -> (value, size): the value is kept so that its id is not reused

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:  # a syntax tree node (the stubs' type is private)
        result = super().visit(node, *args, **kwargs)
        self.spent += self.size(result)
        if self.spent > self.limit:
            raise OverBudget("one evaluation handled more than %d items" % self.limit)
        return result

    def size(self, value: Any) -> int:
        """Items in ``value`` as a tree (a list shared twice counts twice), memoised by identity."""
        if isinstance(value, str):
            return 1 + len(value) // CHARS_PER_ITEM
        if not isinstance(value, (list, dict)):
            return 1
        sizes = self._sizes
        stack = [(value, False)]
        while stack:
            item, children_done = stack.pop()
            if id(item) in sizes:
                continue
            children = list(item.values()) if isinstance(item, dict) else item
            if children_done:
                total = 1
                for child in children:
                    total += sizes[id(child)][1] if isinstance(child, (list, dict)) else self.size(child)
                sizes[id(item)] = (item, total)
                continue
            stack.append((item, True))
            stack.extend((child, False) for child in children if isinstance(child, (list, dict)) and id(child) not in sizes)
        return sizes[id(value)][1]


def evaluate(parsed: Mapping[str, Any], data: Any, options: Any = None) -> Any:
    """``parsed`` (a jmespath syntax tree) on ``data``; OverBudget when it costs more than MAX_WORK."""
    return BudgetInterpreter(options).visit(parsed, data)
