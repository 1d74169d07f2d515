import pytest

from engines.postcheck.phone_numbers import phone_numbers

WRITTEN = [
    ("07700 900123", "07700900123"),
    ("07700900123", "07700900123"),
    ("07700-900-123", "07700900123"),
    ("077 00 90 01 23", "07700900123"),
    ("(01257) 480 123", "01257480123"),
    ("+44 7700 900123", "+447700900123"),
    ("+44 (0)7700 900123", "+4407700900123"),
    ("0044 7700 900123", "00447700900123"),
    ("oh seven seven oh oh nine oh oh one two three", "07700900123"),
    ("zero seven seven double oh nine hundred one two three", "07700900123"),
    ("077 double oh 900 one two three", "07700900123"),
    ("0 7 7 0 0 9 0 0 1 2 3", "07700900123"),
    ("0800 123 4567", "08001234567"),
]
NOT_NUMBERS = ["oh well", "2025-03-10", "I ran 5 km in 27 minutes", "raised 230 pounds",
               "seven seven oh oh", "Year 6 and Year 5", "0770090012345678"]  # fmt: skip


@pytest.mark.parametrize(("written", "digits"), WRITTEN)
def test_uk_numbers_are_found_however_written(written: str, digits: str) -> None:
    text = f"my number is {written} thanks"
    found = list(phone_numbers(text))
    assert [(f.digits, text[f.start : f.end].lstrip("(")) for f in found] == [
        (digits, written.lstrip("("))
    ]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_other_numbers_are_not_phone_numbers(text: str) -> None:
    assert list(phone_numbers(text)) == []
