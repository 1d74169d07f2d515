from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from engines.weblogs import Calendar, Identities, WorkUse, analyse
from engines.weblogs.parsed import host_of_url


@pytest.mark.parametrize(
    ("host", "platform"),
    [
        ("facebook.com", "Facebook"),
        ("m.facebook.com", "Facebook"),
        ("scontent-lhr8-1.xx.fbcdn.net", "Facebook"),
        ("evilfacebook.com", None),
        ("facebook.com.evil.net", None),
        ("WWW.INSTAGRAM.COM", "Instagram"),
        ("t.co", "X (Twitter)"),
        ("rr3---sn-q4f.googlevideo.com", "YouTube"),
        ("onlyfans.com", "OnlyFans"),
        ("mastodon.social", "Mastodon"),
        ("www.bbc.co.uk", None),
    ],
)
def test_hosts_match_platforms_on_a_label_boundary(host, platform, catalogue):
    assert catalogue.platform_for(host) == platform


@pytest.mark.parametrize(
    ("url", "method", "host"),
    [
        ("www.facebook.com:443", "CONNECT", "www.facebook.com"),
        ("http://www.facebook.com/x?y", "GET", "www.facebook.com"),
        ("https://m.youtube.com:8443/watch", "GET", "m.youtube.com"),
        ("cache_object://localhost/counters", "GET", "localhost"),
        ("/relative/path", "GET", ""),
    ],
)
def test_host_comes_from_connect_target_or_url(url, method, host):
    assert host_of_url(url, method) == host


def test_ip_leases_attribute_by_time_window_and_never_guess():
    ids = Identities.from_rows(
        [
            {
                "person": "Ann",
                "ip": "10.0.0.5",
                "valid_from": "2025-01-06T08:00",
                "valid_to": "2025-01-06T12:00",
            },
            {"person": "Ben", "ip": "10.0.0.5", "valid_from": "2025-01-06T12:00"},
            {"person": "Cat", "login": "Cat01"},
        ]
    )
    at = lambda h: int(datetime(2025, 1, 6, h, tzinfo=UTC).timestamp())  # noqa: E731
    assert ids.resolve("-", "10.0.0.5", at(9)) == "Ann"
    assert ids.resolve("-", "10.0.0.5", at(13)) == "Ben"
    assert ids.resolve("-", "10.0.0.5", at(7)) is None
    assert ids.resolve("cat01", "10.0.0.5", at(9)) == "Cat"
    assert ids.resolve("dave", "10.0.0.5", at(9)) is None


def test_overlapping_leases_are_unmapped():
    ids = Identities.from_rows(
        [{"person": "Ann", "ip": "10.0.0.5"}, {"person": "Ben", "ip": "10.0.0.5"}]
    )
    assert ids.resolve("-", "10.0.0.5", 0) is None


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 6), True),
        (date(2025, 1, 11), False),  # Saturday
        (date(2025, 1, 20), False),  # INSET day
        (date(2025, 2, 17), False),  # half term, outside the terms
        (date(2025, 2, 24), True),
    ],
)
def test_working_days_follow_weekdays_terms_and_closed_days(day, working):
    cal = Calendar.from_dict(
        {
            "timezone": "Europe/London",
            "start": "08:30",
            "end": "15:30",
            "term_dates": [["2025-01-06", "2025-02-14"], ["2025-02-24", "2025-04-04"]],
            "closed_days": ["2025-01-20"],
        }
    )
    assert cal.is_working_day(day) is working


def test_working_hours_exclude_breaks(calendar):
    seconds = np.array(
        [
            8 * 3600 + 29 * 60,
            8 * 3600 + 30 * 60,
            12 * 3600 + 30 * 60,
            13 * 3600,
            15 * 3600 + 30 * 60,
        ]
    )
    assert calendar.in_working_hours(seconds).tolist() == [False, True, False, True, False]


@pytest.mark.parametrize(
    ("utc", "local_hour"),
    [
        ("2025-03-28T09:00:00", 9),  # GMT, Friday before the change
        ("2025-03-31T08:00:00", 9),  # BST, Monday after
        ("2025-10-24T08:00:00", 9),  # BST, Friday before going back
        ("2025-10-27T09:00:00", 9),  # GMT again
    ],
)
def test_local_time_follows_uk_clock_changes(utc, local_hour, calendar):
    t = int(datetime.fromisoformat(utc).replace(tzinfo=UTC).timestamp())
    instants, offsets = calendar.utc_offsets(t, t)
    local = t + offsets[np.searchsorted(instants, t, side="right") - 1]
    assert (local % 86400) // 3600 == local_hour


def test_a_request_at_0900_bst_counts_in_working_hours(tmp_path, catalogue, identities, calendar):
    t = int(datetime(2025, 3, 31, 8, 0, tzinfo=UTC).timestamp())  # 09:00 BST
    log = tmp_path / "a.log"
    log.write_text(
        f"{t}.000      1 10.0.0.1 TCP_TUNNEL/200 1 CONNECT www.facebook.com:443 alice "
        "HIER_DIRECT/1.2.3.4 -\n"
    )
    rows = analyse(
        [log], fmt="squid", catalogue=catalogue, identities=identities, calendar=calendar, workers=1
    ).rows()
    assert rows[0]["social_requests"] == 1


def test_work_use_is_not_counted_as_personal(tmp_path, catalogue, identities, calendar):
    from .conftest import SAMPLES

    work = tmp_path / "work.csv"
    work.write_text("platform,person\nFacebook,Alice\nYouTube,\n")
    result = analyse(
        [SAMPLES / "squid.log"],
        fmt="squid",
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
        work_use=WorkUse.from_csv(work),
    )
    assert result.rows()[0]["social_requests"] == 0
    assert result.work_use_requests == 2
