"""Veille views: `sources` (part A: sources, health, OPML) and the desk — `inbox`, `items`,
`rules`, `alerts`, `notes`, `exports` (part B) — each in its own module."""
