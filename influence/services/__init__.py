"""Writes of the influence app, by domain noun. Every service validates (`full_clean`)
and audits its own write."""
