"""Extract: RawDocument -> Article, one small component at a time."""
