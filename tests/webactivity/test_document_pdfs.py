"""The transparency notice and the DPIA template as tagged PDFs, written from the school's
own settings, for the people who may read each, and linked from the pages that need them."""

from __future__ import annotations

import io
from ctypes.util import find_library

import pytest
from django.test import Client
from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from boundaries.webactivity import actions
from tests.cast import PASSWORD
from tests.webactivity.conftest import Staffroom

pytestmark = pytest.mark.skipif(
    find_library("harfbuzz-subset") is None,
    reason="WeasyPrint warns without libharfbuzz-subset0: run scripts/install-pdf-libs.sh (root)",
)
DOCS = [
    ("notice", "transparency-notice", "Transparency notice", "school's threshold of 25 minutes"),
    ("dpia", "dpia-template", "DPIA template", "25 minutes a day"),
]


def _decoded(value: object) -> str:
    raw = resolve1(value)
    if isinstance(raw, bytes) and raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be")
    return raw.decode() if isinstance(raw, bytes) else str(raw)


@pytest.fixture
def strict_school(staffroom: Staffroom) -> Staffroom:
    actions.save_settings(
        staffroom.cast.school,
        threshold_minutes=25,
        retention_days=120,
        match_email_logins=False,
        actor=staffroom.cast.head,
    )
    return staffroom


@pytest.mark.parametrize(("path", "name", "title", "threshold_words"), DOCS)
def test_the_head_downloads_a_tagged_pdf_with_the_schools_name_and_threshold(
    strict_school: Staffroom,
    client: Client,
    path: str,
    name: str,
    title: str,
    threshold_words: str,
) -> None:
    assert client.login(username="head", password=PASSWORD)
    reply = client.get(f"/o/rivington/web-activity/{path}/?download=pdf")
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    assert f'filename="rivington-{name}.pdf"' in reply["Content-Disposition"]
    text = " ".join(extract_text(io.BytesIO(reply.content)).split())
    assert "Rivington Foundation Primary School" in text
    assert threshold_words in text
    assert "15 minutes" not in text  # the default, not this school's choice
    document = PDFDocument(PDFParser(io.BytesIO(reply.content)))
    catalog = document.catalog
    assert _decoded(catalog["Lang"]) == "en-GB"
    assert resolve1(catalog["MarkInfo"])["Marked"] is True and "StructTreeRoot" in catalog
    info = document.info[0]
    assert _decoded(info["Title"]) == f"{title} \N{EN DASH} Rivington Foundation Primary School"


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("teacher", "notice", 200),  # staff read how their own figures are made
        ("teacher", "dpia", 404),
        ("otherhead", "notice", 404),
        ("otherhead", "dpia", 404),
        ("hr", "dpia", 200),
    ],
)
def test_each_pdf_is_for_those_who_may_read_the_page(
    staffroom: Staffroom, client: Client, username: str, path: str, status: int
) -> None:
    assert client.login(username=username, password=PASSWORD)
    reply = client.get(f"/o/rivington/web-activity/{path}/?download=pdf")
    assert reply.status_code == status
    if status == 404:
        assert b"Rivington" not in reply.content


@pytest.mark.parametrize("page", ["", "settings/", "notice/", "dpia/"])
def test_the_pdfs_are_linked_where_the_head_works(
    staffroom: Staffroom, client: Client, page: str
) -> None:
    assert client.login(username="head", password=PASSWORD)
    html = client.get(f"/o/rivington/web-activity/{page}").text
    links = [f"/o/rivington/web-activity/{p}/?download=pdf" for p, *_ in DOCS]
    if page in ("notice/", "dpia/"):
        links = ["?download=pdf"]
    for link in links:
        assert f'href="{link}"' in html, (page, link)
