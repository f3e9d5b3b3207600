"""Extractors: each module holds one ``extract(doc, found)`` function over a parsed article."""
