"""The one exception the engine raises, so callers catch one type and show its message."""


class WeblogsError(Exception):
    """Bad input the engine cannot work around: an unreadable file, a bad calendar or mapping."""
