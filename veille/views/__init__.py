"""Veille views, one module per area: `sources` (sources, health, OPML), `inbox` (triage),
`items` (one article), `rules` (watch rules), `alerts`, `notes` (analysis notes) and
`exports` (CSV)."""
