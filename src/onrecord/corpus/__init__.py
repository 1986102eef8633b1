"""Corpus: analysed Articles -> corpus facts (stories, identities, statements); the ingest run."""
