"""Reads of the influence app, by domain noun: strategies, objectives, messages, calendar."""
