"""The English model's ``attribute_ruler``, matched through an index instead of spaCy's Matcher.

The ruler maps each token's fine tag (and, for a few words, its text and dependency) to its
coarse part of speech, morphology and some lemmas: 179 rules of one or two tokens. spaCy's
Matcher tries every rule at every token, which took about 30 ms of an 800-word article's
parse, more than the parser itself. Here each rule is looked up by what its first token needs
(text, tag, dependency or being space), and only the two rules keyed on none of these are
tried everywhere. The rules, their order and what they set are the model's own (read from
its ruler), so the result is the same; a test compares the two on real articles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# One token's view that the rules read: lower-cased text, fine tag, dependency, is-space.
_Row = tuple[str, str, str, bool]
_Test = Callable[[_Row], bool]

_FIELD = {"LOWER": 0, "TAG": 1, "DEP": 2}


def _value_test(field: int, spec: Any) -> _Test:
    if isinstance(spec, str):
        return lambda row: row[field] == spec
    if isinstance(spec, Mapping) and len(spec) == 1:
        ((op, arg),) = spec.items()
        if op == "IN":
            values = frozenset(arg)
            return lambda row: row[field] in values
        if op == "NOT_IN":
            values = frozenset(arg)
            return lambda row: row[field] not in values
        if op == "REGEX":
            pattern = re.compile(arg)
            return lambda row: pattern.search(row[field]) is not None
    raise ValueError(f"attribute_ruler pattern value {spec!r} is not supported")


def _is_space(row: _Row) -> bool:
    return row[3]


def _is_not_space(row: _Row) -> bool:
    return not row[3]


def _token_test(spec: Mapping[str, Any]) -> _Test:
    tests: list[_Test] = []
    for key, value in spec.items():
        if key in _FIELD:
            tests.append(_value_test(_FIELD[key], value))
        elif key == "IS_SPACE":
            tests.append(_is_space if value else _is_not_space)
        else:
            raise ValueError(f"attribute_ruler pattern key {key!r} is not supported")
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda row: first(row) and second(row)
    return lambda row: all(test(row) for test in tests)


def _index_keys(spec: Mapping[str, Any]) -> list[tuple[int, object]]:
    """(field, value) pairs one of which a token must have to match ``spec``; [] if none."""
    for name in ("LOWER", "TAG", "DEP"):
        value = spec.get(name)
        if isinstance(value, str):
            return [(_FIELD[name], value)]
        if isinstance(value, Mapping) and set(value) == {"IN"}:
            return [(_FIELD[name], v) for v in value["IN"]]
    if spec.get("IS_SPACE") is True:
        return [(3, True)]
    return []


class IndexedAttributeRuler:
    """Callable spaCy component equivalent to the ``AttributeRuler`` it is built from."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self._attrs: list[dict[int, int]] = list(ruler.attrs)
        self._indices: list[int] = list(ruler.indices)
        rules: list[dict[str, Any]] = list(ruler.patterns)
        # For each field of a token's row, value -> the rules whose first token needs it;
        # a rule is (attr_id, a test per pattern token).
        self._index: list[dict[object, list[tuple[int, Sequence[_Test]]]]] = [
            defaultdict(list) for _ in range(4)
        ]
        self._everywhere: list[tuple[int, Sequence[_Test]]] = []
        for attr_id, rule in enumerate(rules):
            pattern: list[dict[str, Any]]
            for pattern in rule["patterns"]:
                entry = (attr_id, [_token_test(spec) for spec in pattern])
                keys = _index_keys(pattern[0])
                for field, value in keys:
                    self._index[field][value].append(entry)
                if not keys:
                    self._everywhere.append(entry)

    def __call__(self, doc: Doc) -> Doc:
        rows: list[_Row] = [(t.lower_, t.tag_, t.dep_, t.is_space) for t in doc]
        n = len(rows)
        index = self._index
        matches: list[tuple[int, int, int]] = []
        for start, row in enumerate(rows):
            for field in range(4):
                rules = index[field].get(row[field])
                if rules:
                    self._try(rules, rows, start, n, matches)
            if self._everywhere:
                self._try(self._everywhere, rows, start, n, matches)
        # As spaCy's ruler: every match is found before any is applied, and later rules win.
        for attr_id, start, end in sorted(set(matches)):
            at = self._indices[attr_id]
            token = doc[start + at] if at >= 0 else doc[end + at]
            set_token_attrs(token, self._attrs[attr_id])
        return doc

    @staticmethod
    def _try(
        rules: Sequence[tuple[int, Sequence[_Test]]],
        rows: Sequence[_Row],
        start: int,
        n: int,
        matches: list[tuple[int, int, int]],
    ) -> None:
        row = rows[start]
        for attr_id, tests in rules:
            if not tests[0](row):
                continue
            end = start + len(tests)
            if end == start + 1 or (end <= n and all(tests[j](rows[start + j]) for j in range(1, len(tests)))):
                matches.append((attr_id, start, end))


__all__ = ["IndexedAttributeRuler"]
