"""Sources of articles beyond files of text: web archives (WARC)."""
