"""An invented school's policy, written for these tests, built as Markdown, DOCX and PDF.

Oakmere Vale is not a real school and Westmarsh is not a real council; the wording is
ours. Every format must parse to the same tree, so one table of expectations serves all.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

SCHOOL = "Oakmere Vale Community Primary School"
TITLE = "Online Conduct and Social Media Policy"
MODEL = "WESTMARSH BOROUGH COUNCIL MODEL POLICY ON STAFF CONDUCT ONLINE (MARCH 2025)"
PREAMBLE = "Staff were consulted on this policy through the staff forum."

AIMS = (
    "This policy explains how adults who work at the school keep a safe professional "
    "distance from pupils and their families when they use the internet in their own time. "
    "It also explains what the school will do when that distance is not kept, so that "
    "nobody is surprised by the consequences of a careless message or photograph."
)
BREACHES = (
    "A breach of this policy may be dealt with under the disciplinary procedure. Serious "
    "or repeated breaches, or any breach that places a pupil at risk, will also be referred "
    "to the designated safeguarding lead and, where the law requires it, to the local "
    "authority designated officer."
)

# (number, heading, text) in document order; children are found by number prefix.
CLAUSES: list[tuple[str, str, str]] = [
    ("1", "Aims", AIMS),
    ("2", "Who this covers", ""),
    ("2.1", "", "Everyone paid by the school, including supply and agency staff."),
    ("2.2", "", "Volunteers who work with pupils on a regular basis."),
    ("3", "Expectations", ""),
    ("3.1", "", "Staff should:"),
    ("3.1(a)", "", "keep their personal accounts private;"),
    ("3.1(b)", "", "decline contact requests from current pupils;"),
    ("3.1(c)", "", "report any message from a pupil to the safeguarding lead:"),
    ("3.1(c)(i)", "", "on the same working day; and"),
    ("3.1(c)(ii)", "", "before replying in any way."),
    ("3.2", "", "Photographs of pupils must never be taken on personal devices."),
    ("4", "Breaches", BREACHES),
]

EXPECTED_SHAPE = (
    ("1", "Aims", ()),
    ("2", "Who this covers", (("2.1", "", ()), ("2.2", "", ()))),
    (
        "3",
        "Expectations",
        (
            (
                "3.1",
                "",
                (
                    ("3.1(a)", "", ()),
                    ("3.1(b)", "", ()),
                    ("3.1(c)", "", (("3.1(c)(i)", "", ()), ("3.1(c)(ii)", "", ()))),
                ),
            ),
            ("3.2", "", ()),
        ),
    ),
    ("4", "Breaches", ()),
)

EXPECTED_TEXTS = {number: text for number, _, text in CLAUSES}


def _label(number: str) -> str:
    """The label as printed: "3.1(c)(ii)" is printed "(ii)", "2.1" as "2.1", "1" as "1."."""
    if number.endswith(")"):
        return number[number.rindex("(") :]
    return number if "." in number else f"{number}."


def markdown() -> str:
    lines = [
        f"*{SCHOOL}*",
        f"# {TITLE}",
        "",
        "| Date written | 3rd March 2025 |",
        "| --- | --- |",
        "| Approved by the Governing Board | 14/05/2025 |",
        "| Next review due | May 2026 |",
        "",
        f"**{MODEL}**",
        "",
        f"The governors of {SCHOOL} adopted this policy on 1 Sept 2025. {PREAMBLE}",
        "",
    ]
    for number, heading, text in CLAUSES:
        depth = number.count("(")
        indent = "    " * depth
        if heading:
            lines += [f"## {_label(number)} {heading}", ""]
            if text:
                lines += [text, ""]
        else:
            lines += [f"{indent}{_label(number)} {text}", ""]
    return "\n".join(lines)


def _word_numbering(document: Any) -> str:
    """Adds a four-level outline list ("1.", "1.1", "(a)", "(i)") and returns its numId."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")]
    levels.append(("lowerRoman", "(%4)"))
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90">{body}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _number_paragraph(paragraph: Any, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    num_pr = parse_xml(
        f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    paragraph._p.get_or_add_pPr().append(num_pr)


def docx_bytes(*, word_numbering: bool) -> bytes:
    """The policy as Word writes it: a dates table, heading styles, and either Word's own
    list numbering (numPr, no number in the text) or numbers typed into the text."""
    import docx

    document = docx.Document()
    document.add_paragraph(SCHOOL)
    document.add_paragraph(TITLE, style="Title")
    table = document.add_table(rows=3, cols=2)
    rows = [
        ("Date written", "3rd March 2025"),
        ("Approved by the Governing Board", "14/05/2025"),
        ("Next review due", "May 2026"),
    ]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_paragraph(MODEL)
    document.add_paragraph(f"The governors of {SCHOOL} adopted this policy on 1 Sept 2025.")
    document.add_paragraph(PREAMBLE)
    num_id = _word_numbering(document) if word_numbering else ""
    for number, heading, text in CLAUSES:
        level = number.count(".") + number.count("(")
        shown = heading or text
        if heading:
            paragraph = document.add_paragraph(style="Heading 1")
        else:
            paragraph = document.add_paragraph()
        if word_numbering:
            paragraph.add_run(shown)
            _number_paragraph(paragraph, num_id, level)
        else:
            paragraph.add_run(f"{_label(number)} {shown}")
        if heading and text:
            document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    """The policy as a word processor exports it: wrapped lines, a running header and
    footer with page numbers, bold headings, a hanging indent for list items."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=8)
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    nested = ParagraphStyle("nested", parent=body, leftIndent=28)

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(72, A4[1] - 40, "Oakmere Vale CPS - Online Conduct Policy")
        canvas.drawString(A4[0] / 2, 30, f"Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(SCHOOL, bold),
        Paragraph(TITLE, bold),
        Paragraph("Date written: 3rd March 2025", body),
        Paragraph("Approved by the Governing Board: 14/05/2025", body),
        Paragraph("Next review due: May 2026", body),
        Paragraph(MODEL, bold),
        Paragraph(
            f"The governors of {SCHOOL} adopted this policy on 1 Sept 2025. {PREAMBLE}", body
        ),
        Spacer(1, 440),
    ]
    for number, heading, text in CLAUSES:
        if heading:
            story.append(Paragraph(f"{_label(number)} {heading}", bold))
            if text:
                story.append(Paragraph(text, body))
        else:
            style = nested if "(" in number else body
            story.append(Paragraph(f"{_label(number)} {text}", style))
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()
