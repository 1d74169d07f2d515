"""The browser fixtures (`browser`, `page`) live in tests/conftest.py, shared by all apps."""
