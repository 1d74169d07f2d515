"""Squid's built-in log formats (squid-cache.org/Doc/config/logformat): which --format reads
each, on invented lines for the same two visits."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines.weblogs import analyse

SQUID_LINES = {
    # logformat squid: %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
    "squid": (
        "1736155800.000    120 10.0.0.1 TCP_TUNNEL/200 5000 CONNECT www.facebook.com:443 alice "
        "HIER_DIRECT/203.0.113.5 -\n"
        "1736155980.000      3 10.0.0.9 TCP_DENIED/403 300 GET http://api.tiktok.com/ - "
        "HIER_NONE/- text/html\n",
        "squid",
    ),
    # logformat common: %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh
    "common": (
        '10.0.0.1 - alice [06/Jan/2025:09:30:00 +0000] "CONNECT www.facebook.com:443 HTTP/1.1" '
        "200 5000 TCP_TUNNEL:HIER_DIRECT\n"
        '10.0.0.9 - - [06/Jan/2025:09:33:00 +0000] "GET http://api.tiktok.com/ HTTP/1.1" '
        "403 300 TCP_DENIED:HIER_NONE\n",
        "combined",
    ),
    # logformat combined: ... %>Hs %<st "%{Referer}>h" "%{User-Agent}>h" %Ss:%Sh
    "combined": (
        '10.0.0.1 - alice [06/Jan/2025:09:30:00 +0000] "CONNECT www.facebook.com:443 HTTP/1.1" '
        '200 5000 "-" "Mozilla/5.0" TCP_TUNNEL:HIER_DIRECT\n'
        '10.0.0.9 - - [06/Jan/2025:09:33:00 +0000] "GET http://api.tiktok.com/ HTTP/1.1" '
        '403 300 "-" "Mozilla/5.0" TCP_DENIED:HIER_NONE\n',
        "combined",
    ),
}


@pytest.mark.parametrize("logformat", sorted(SQUID_LINES))
def test_squids_own_formats_give_the_same_day(
    logformat: str, tmp_path: Path, calendar, identities, catalogue
) -> None:
    text, fmt = SQUID_LINES[logformat]
    log = tmp_path / "access.log"
    log.write_text(text)
    rows = analyse(
        [log], fmt=fmt, catalogue=catalogue, identities=identities, calendar=calendar, workers=1
    ).rows()
    assert [(r["person"], r["social_requests"], r["blocked_social_requests"]) for r in rows] == [
        ("Alice", 1, 0),
        ("Bob", 0, 1),
    ]


def test_the_referrer_log_is_not_mistaken_for_requests(
    tmp_path: Path, calendar, identities, catalogue
) -> None:
    """logformat referrer (%ts.%03tu %>a %{Referer}>h %ru) has no user and no status."""
    log = tmp_path / "referer.log"
    log.write_text("1736155800.000 10.0.0.1 - http://www.facebook.com/\n")
    result = analyse(
        [log], fmt="squid", catalogue=catalogue, identities=identities, calendar=calendar, workers=1
    )
    assert result.rows() == [] and result.unparsed_lines == 1
