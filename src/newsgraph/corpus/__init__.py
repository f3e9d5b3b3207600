"""Corpus passes: what newsgraph works out across articles once they are stored.

- :mod:`~newsgraph.corpus.linking`: the same actor across articles gets one id;
- :mod:`~newsgraph.corpus.dedup`: syndicated and lightly edited copies are grouped (MinHash LSH);
- :mod:`~newsgraph.corpus.stories`: articles about the same happening are grouped into stories;
- :mod:`~newsgraph.corpus.passes`: the three, run incrementally over a store's new articles;
- :mod:`~newsgraph.corpus.ingest`: reading, analysing and storing articles, then the passes.

The rules (linking, dedup, stories) are pure functions over plain records; the passes talk to
the store only through its interface (:class:`newsgraph.store.Store`).
"""
