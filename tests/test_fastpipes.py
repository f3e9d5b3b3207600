"""Tests of newsgraph.fastpipes: the stand-ins give the stock components' output, token for token."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokens import Doc

from newsgraph import fastpipes
from newsgraph.fastpipes import CachedLemmatizer, IndexedAttributeRuler

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBD"}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Past|VerbForm=Fin"}},
    {"patterns": [[{"TAG": {"IN": ["VBZ", "VBP"]}}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": "said", "TAG": "VBD"}]], "attrs": {"LEMMA": "say"}},  # overrides nothing
    {
        "patterns": [[{"LOWER": {"IN": ["is", "was"]}, "TAG": {"IN": ["VBZ", "VBD"]}}]],
        "attrs": {"POS": "AUX"},
    },
    {"patterns": [[{"LOWER": "us", "DEP": "nsubj"}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}},  # two tokens
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},  # left to a Matcher
    {"patterns": [[{"TAG": "NN"}, {"LOWER": "said"}]], "attrs": {"MORPH": "Case=Nom"}, "index": -2},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Sing|Gender=Neut"}},  # later wins
]

DOCS = [
    (
        "The minister said the US was gon na wait \n Pat is n't here".split(" "),
        "DT NN VBD DT NNP VBD VBG TO VB _SP NNP VBZ RB RB".split(),
        "det nsubj ROOT det nsubj ccomp xcomp aux xcomp dep nsubj ROOT neg advmod".split(),
    ),
    (["us", "said", "nothing"], ["PRP", "VBD", "NN"], ["nsubj", "ROOT", "dobj"]),
    ([], [], []),
]


def _doc(nlp: Language, words: list[str], tags: list[str], deps: list[str]) -> Doc:
    heads = [0] * len(words)
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads) if words else Doc(nlp.vocab)


def _signature(doc: Doc) -> list[tuple[str, str, str, str, str, str]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.mark.parametrize(("words", "tags", "deps"), DOCS)
def test_the_indexed_attribute_ruler_sets_what_the_stock_one_sets(
    words: list[str], tags: list[str], deps: list[str]
) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(PATTERNS)  # type: ignore[attr-defined]
    indexed = IndexedAttributeRuler(ruler)  # type: ignore[arg-type]
    assert len(indexed.rest) == 4  # the three two-token patterns and the regular expression
    stock_doc, fast_doc = _doc(nlp, words, tags, deps), _doc(nlp, words, tags, deps)
    assert _signature(indexed(fast_doc)) == _signature(ruler(stock_doc))
    assert [m[0] for m in indexed.match(fast_doc)] == sorted(m[0] for m in ruler.match(stock_doc))


def test_the_cached_lemmatizer_gives_the_stock_lemmas() -> None:
    nlp = spacy.blank("en")
    lookups = Lookups()
    lookups.add_table("lemma_lookup", {"said": "say", "ministers": "minister", "was": "be"})
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize(lookups=lookups)  # type: ignore[attr-defined]
    cached = CachedLemmatizer(lemmatizer)  # type: ignore[arg-type]
    texts = ["The ministers said it was late.", "Ministers said so.", "", "said said SAID"]
    for text in texts * 2:  # the second round comes from the cache
        assert _signature(cached(nlp.make_doc(text))) == _signature(lemmatizer(nlp.make_doc(text)))
    assert cached.cache  # filled


def test_install_swaps_the_stand_ins_in_and_stock_pipes_keeps_spacys(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler")
    assert fastpipes.install(nlp) == ["attribute_ruler"]
    assert nlp.pipe_names == ["newsgraph_attribute_ruler"] and nlp.disabled == ["attribute_ruler"]
    monkeypatch.setenv("NEWSGRAPH_STOCK_PIPES", "1")
    other = spacy.blank("en")
    other.add_pipe("attribute_ruler")
    assert fastpipes.install(other) == [] and other.pipe_names == ["attribute_ruler"]


@pytest.mark.slow
def test_the_default_pipeline_parses_as_spacys_own(nlp: Language) -> None:
    """Every token attribute of the repo's texts is the same with the stand-ins as without."""
    stock = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    stock.add_pipe("newline_sentences", before="parser")
    assert "newsgraph_attribute_ruler" in nlp.pipe_names and "newsgraph_lemmatizer" in nlp.pipe_names
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    texts += ["Ai n't nobody gon na stop us now, said Mr. O'Neill.\n\nThe U.S. wasn't there."]
    for fast_doc, stock_doc in zip(nlp.pipe(texts), stock.pipe(texts), strict=True):
        assert _signature(fast_doc) == _signature(stock_doc)
        assert [(t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start) for t in fast_doc] == [
            (t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start) for t in stock_doc
        ]
