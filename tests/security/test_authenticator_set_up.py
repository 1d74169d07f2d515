"""The authenticator set-up page: a QR code drawn on the server that holds this person's
set-up link, the same key as text for typing, and nothing fetched from elsewhere."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import segno
from django.test import Client
from django.utils import timezone

from boundaries.security import totp
from boundaries.security.models import TotpDevice
from tests.cast import PASSWORD, Cast

pytestmark = pytest.mark.mfa_required


def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """Read the dark modules back out of the SVG's path (runs of `h` along each row)."""
    path = re.search(r'<path[^>]*stroke="[^"]+"[^>]*\sd="([^"]+)"', svg)
    assert path, "the QR code has no drawn modules"
    x = y = 0.0
    cells: set[tuple[int, int]] = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = int(float(a))
            cells |= {(int(x) + i, int(y)) for i in range(run)}
            x += run
    return cells


def _encodes(svg: str, text: str) -> bool:
    """Whether the drawn code is a QR code of `text` (at any error-correction level)."""
    drawn = _dark_modules(svg)
    for level in "lmqh":
        code = segno.make_qr(text, error=level, boost_error=False)
        expected = {
            (column + 4, row + 4)
            for row, modules in enumerate(code.matrix)
            for column, dark in enumerate(modules)
            if dark
        }
        if drawn == expected:
            return True
    return False


@pytest.fixture
def set_up_page(cast: Cast, client: Client) -> str:
    response = client.post("/sign-in/", {"username": "head", "password": PASSWORD})
    assert response["Location"].startswith("/account/two-factor/set-up/")
    page = client.get("/account/two-factor/set-up/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    return page.text


def test_the_qr_code_holds_this_persons_set_up_link(cast: Cast, set_up_page: str) -> None:
    svg = re.search(r"<svg .*?</svg>", set_up_page, re.S)
    assert svg, "no inline QR code on the page"
    secret = TotpDevice.objects.get(user=cast.head).secret
    link = totp.provisioning_uri(secret, "head@rivington.example")
    assert _encodes(svg.group(0), link)
    query = parse_qs(urlparse(link).query)
    assert query["secret"] == [secret] and query["issuer"] == ["Boundaries"]
    assert unquote(urlparse(link).path).endswith("head@rivington.example")
    assert not _encodes(svg.group(0), totp.provisioning_uri(totp.new_secret(), "x@y.example"))


def test_the_qr_code_has_a_text_alternative_and_the_key_is_there_to_type(
    cast: Cast, set_up_page: str
) -> None:
    svg = re.search(r"<svg [^>]*>", set_up_page)
    assert svg and 'role="img"' in svg.group(0)
    label = re.search(r'aria-label="([^"]+)"', svg.group(0))
    assert label and "QR code" in label.group(1)
    assert "I cannot scan the QR code" in set_up_page
    secret = TotpDevice.objects.get(user=cast.head).secret
    shown = re.search(r'id="secret">([^<]+)<', set_up_page)
    assert shown and shown.group(1).replace(" ", "") == secret


def test_the_page_fetches_nothing_from_elsewhere(set_up_page: str) -> None:
    addresses = re.findall(r'\s(?:src|href|action|xlink:href)="([^"]*)"', set_up_page)
    assert addresses
    outside = [
        a for a in map(html.unescape, addresses) if not a.startswith(("/", "#", "otpauth://"))
    ]
    assert not outside, outside
    assert "<img" not in set_up_page


def test_the_key_typed_from_the_page_sets_up_the_app(cast: Cast, client: Client) -> None:
    client.post("/sign-in/", {"username": "head", "password": PASSWORD})
    page = client.get("/account/two-factor/set-up/").text
    typed = re.search(r'id="secret">([^<]+)<', page)
    assert typed
    code = totp.code_at(typed.group(1).replace(" ", ""), timezone.now())
    done = client.post("/account/two-factor/set-up/", {"code": code})
    assert "recovery codes" in done.text.lower()
    assert client.get("/o/rivington/").status_code == 200
