"""Views of the testimonies app, one module per area.

records.py (list, detail, consent, expiring consents), review.py, media.py, exports.py,
identity.py; collection: home.py (the field officer's landing page), submission.py (the
wizard), forms_builder.py, objectives.py.
"""
