"""Views of the testimonies app, one module per area.

records (part A): records.py (list, detail, home until the field home exists),
review.py, media.py, exports.py, identity.py.
field (part B): submission.py, forms_builder.py, objectives.py, home.py.
"""
