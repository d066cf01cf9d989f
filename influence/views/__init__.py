"""Pages of the influence app: dashboard, strategies, objectives, messages, calendar."""
