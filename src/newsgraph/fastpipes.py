"""Faster stand-ins for two stock spaCy components, with the same output token for token.

Profiling ``newsgraph analyze`` showed about a sixth of spaCy's own time in two rule-based
components of the English pipelines, not in the neural network:

- ``attribute_ruler`` runs spaCy's ``Matcher`` with every one of its patterns (179 in
  ``en_core_web_sm``) at every token. :class:`IndexedAttributeRuler` looks up the
  single-token patterns whose conditions are plain values or ``IN`` lists by one of those
  values (a token only tries the patterns for its own lower-case form, tag, ...), leaves the
  other patterns (several tokens, regular expressions, operators) to a ``Matcher`` that holds
  only them, and then applies the matches exactly as ``AttributeRuler.set_annotations`` does:
  sorted by pattern number, later patterns overwriting earlier ones.
- ``lemmatizer`` (rule or lookup mode) computes a lemma from the token's form, its part of
  speech and its morphology, but caches only some of them and walks the tokens as Python
  objects. :class:`CachedLemmatizer` caches every lemma by (form, part of speech,
  morphology), which is all the rules read, and reads and writes the columns as arrays.

Both wrap the stock component (its patterns and tables) and fall back to it for whatever they
do not handle; :func:`install` swaps them in (the stock ones stay in the pipeline, disabled).
``NEWSGRAPH_STOCK_PIPES=1`` leaves the stock components in place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

#: Token attributes a plain pattern value may test, read as hashes (strings) or 0/1 (flags).
_STRING_ATTRS = ("LOWER", "TAG", "DEP", "ORTH", "NORM")
_FLAG_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER", "IS_LOWER")
#: Most selective first: the attribute a plain pattern is filed under.
_INDEX_ORDER = ("ORTH", "LOWER", "NORM", "TAG", "DEP", *_FLAG_ATTRS)
#: A lemma cache past this many entries starts again (a bound for very long runs).
_CACHE_LIMIT = 1_000_000


def _plain_conditions(ruler: AttributeRuler, spec: dict[str, Any]) -> dict[str, frozenset[int]] | None:
    """A single-token pattern's conditions as attribute -> allowed values, or None when it uses
    anything but plain values and ``IN`` lists of the attributes above."""
    strings = ruler.vocab.strings
    out: dict[str, frozenset[int]] = {}
    for attr, value in spec.items():
        name = "ORTH" if attr.upper() == "TEXT" else attr.upper()
        if name in _STRING_ATTRS:
            if isinstance(value, str):
                out[name] = frozenset({strings.add(value)})
            elif _string_list(value):
                out[name] = frozenset(strings.add(v) for v in value["IN"])
            else:
                return None
        elif name in _FLAG_ATTRS and isinstance(value, bool):
            out[name] = frozenset({int(value)})
        else:
            return None
    return out if out and len(out) == len(spec) else None


def _string_list(value: object) -> bool:
    """Whether a pattern value is ``{"IN": [strings]}``."""
    return isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"])


class IndexedAttributeRuler:
    """``attribute_ruler`` with its plain single-token patterns looked up by value."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.attrs: list[str] = []  # the token attributes read, in array order
        self.index: dict[str, dict[int, list[tuple[int, dict[str, frozenset[int]]]]]] = {}
        self.rest = Matcher(ruler.vocab, validate=False)
        for number in range(len(ruler.attrs)):
            key = str(number)
            _, patterns = ruler.matcher.get(key)
            for pattern in patterns:
                conditions = (
                    _plain_conditions(ruler, pattern[0])
                    if len(pattern) == 1 and ruler.indices[number] in (0, -1)
                    else None
                )
                if conditions is None:
                    self.rest.add(ruler.vocab.strings.add(key), [pattern])
                    continue
                by = next(a for a in _INDEX_ORDER if a in conditions)
                table = self.index.setdefault(by, {})
                for value in conditions[by]:
                    table.setdefault(value, []).append((number, conditions))
        used = {a for t in self.index.values() for entries in t.values() for _, c in entries for a in c}
        self.attrs = [a for a in _INDEX_ORDER if a in used]
        self._columns = [IDS[a] for a in self.attrs]
        position = {a: k for k, a in enumerate(self.attrs)}
        #: (column, value -> [(pattern number, ((column, allowed values), ...))]): the other
        #: conditions of each pattern, the one it is filed under being met by the lookup
        self._filed: list[tuple[int, dict[int, list[tuple[int, tuple[tuple[int, frozenset[int]], ...]]]]]] = [
            (
                position[by],
                {
                    value: [
                        (number, tuple((position[a], ok) for a, ok in conditions.items() if a != by))
                        for number, conditions in entries
                    ]
                    for value, entries in table.items()
                },
            )
            for by, table in self.index.items()
        ]

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(pattern number, start, end) of every match, sorted as the stock component sorts."""
        matches: list[tuple[int, int, int]] = []
        if self._columns and len(doc):
            array: Any = doc.to_array(self._columns)
            rows: list[list[int]] = array.reshape(len(doc), -1).tolist()
            for i, row in enumerate(rows):
                for column, table in self._filed:
                    for number, others in table.get(row[column], ()):
                        if all(row[k] in allowed for k, allowed in others):
                            matches.append((number, i, i + 1))
        if len(self.rest):
            strings = self.ruler.vocab.strings
            for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                matches.append((int(strings[match_id]), start, end))
        matches.sort()
        return matches

    def __call__(self, doc: Doc) -> Doc:
        attrs, indices = self.ruler.attrs, self.ruler.indices
        tokens: dict[int, Token] = {}
        for number, start, end in self.match(doc):
            index = indices[number]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:  # as the stock component: an index outside its match
                raise ValueError(f"attribute_ruler pattern {number}: index {index} outside the match")
            token = tokens.get(i)
            if token is None:
                token = tokens[i] = doc[i]
            set_token_attrs(token, attrs[number])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class CachedLemmatizer:
    """``lemmatizer`` (rule or lookup mode) with every lemma cached by form, part of speech and
    morphology."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}
        self._started = False

    def __call__(self, doc: Doc) -> Doc:
        if not self._started:  # the stock call checks its tables once
            self._started = True
            return self.lemmatizer(doc)
        if not len(doc):
            return doc
        cache, strings, lemmatize = self.cache, self.lemmatizer.vocab.strings, self.lemmatizer.lemmatize
        overwrite = self.lemmatizer.overwrite
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        array: Any = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = array[:, 3:4].copy()
        changed = False
        rows: list[list[int]] = array.tolist()
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                value = cache[key] = strings.add(lemmatize(doc[i])[0])
            lemmas[i, 0] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("newsgraph_attribute_ruler")
def _make_ruler(nlp: Language, name: str, stock: str) -> IndexedAttributeRuler:
    component = nlp.get_pipe(stock)
    if not isinstance(component, AttributeRuler):
        raise TypeError(f"{stock!r} is no attribute_ruler")
    return IndexedAttributeRuler(component)


@Language.factory("newsgraph_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str, stock: str) -> CachedLemmatizer:
    component = nlp.get_pipe(stock)
    if not isinstance(component, Lemmatizer):
        raise TypeError(f"{stock!r} is no lemmatizer")
    return CachedLemmatizer(component)


def install(nlp: Language) -> list[str]:
    """Swap the stand-ins in for the stock components they cover; return the names swapped."""
    if os.environ.get("NEWSGRAPH_STOCK_PIPES", "") not in ("", "0"):
        return []
    swapped: list[str] = []
    for name in list(nlp.pipe_names):
        component = nlp.get_pipe(name)
        factory: str | None = None
        if type(component) is AttributeRuler:
            factory = "newsgraph_attribute_ruler"
        elif isinstance(component, Lemmatizer) and component.mode in ("rule", "lookup"):
            factory = "newsgraph_lemmatizer"
        if factory is None:
            continue
        nlp.add_pipe(factory, name=f"newsgraph_{name}", after=name, config={"stock": name})
        nlp.disable_pipe(name)
        swapped.append(name)
    return swapped


__all__ = ["CachedLemmatizer", "IndexedAttributeRuler", "install"]
