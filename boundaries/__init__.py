"""Boundaries: a school staff social media policy that runs."""
