"""Pages of the plaidoyer app, one module per area."""
