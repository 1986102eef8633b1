"""Keep the record current: watch feeds, sitemaps and sites, fetch politely, archive what was read.

- ``fetch``: one polite HTTP fetcher (robots.txt, per-host rate limit, retries, caps, no private
  addresses unless allowed).
- ``discover``: sources (feed and sitemap URLs, OPML, lists) and the article URLs a feed or sitemap
  names.
- ``archive``: every exchange appended to rotating WARC files that ``ingest`` reads back.
"""
