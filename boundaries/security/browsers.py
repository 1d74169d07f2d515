"""A plain name for the browser and system a session signed in from ("Firefox on Windows"),
so a person can tell their sessions apart on the "Where you are signed in" page.

Only this short name is stored, never the User-Agent header itself: it is all the page
needs, and the full header is a fingerprint we have no reason to keep.
"""

from __future__ import annotations

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edg/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)

# iPads and iPhones also say "like Mac OS X"; Android also says "Linux".
SYSTEMS = (
    ("iPad", "iPadOS"),
    ("iPhone", "iOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def _first(user_agent: str, table: tuple[tuple[str, str], ...]) -> str:
    return next((name for marker, name in table if marker in user_agent), "")


def describe(user_agent: str) -> str:
    """'Firefox on Windows', 'Safari on iOS', 'Chrome', 'Android', or '' when unknown."""
    user_agent = user_agent[:512]
    browser, system = _first(user_agent, BROWSERS), _first(user_agent, SYSTEMS)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system
