"""A deployment's own date format, for tests/core/test_jinja_date.py."""

DATE_FORMAT = "Y/m/d"
