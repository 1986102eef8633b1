"""Ingest: bytes from files, pages and streams -> RawDocument."""
