"""Forms of the testimonies app, one module per area.

records (part A): forms/records.py — consent, review, external version, identity, media.
field (part B): add forms/submission.py, forms/builder.py, forms/objectives.py.
"""
