"""Forms of the testimonies app, one module per area.

records.py (consent, review, external version, identity, media, export) ·
submission.py (the wizard's steps) · questions.py (a form version's questions as fields) ·
builder.py (collection forms) · objectives.py (collection objectives).
"""
