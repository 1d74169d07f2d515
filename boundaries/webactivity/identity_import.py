"""Read a school's identities CSV (person, login and/or ip, valid_from, valid_to).

`person` is a member of staff's work email or MIS id, matched to the staff list; an
unknown person, a bad address or a bad time stops the whole file with its line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import ipaddress
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from boundaries.core.models import Organisation, StaffRecord

MAX_ROWS = 50_000


class IdentityFileError(Exception):
    """A problem with the file, naming the line."""


@dataclass(frozen=True)
class MappingRow:
    staff_id: int
    login: str
    ip: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None


def _moment(value: str, zone: ZoneInfo, line: int, column: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = (
            dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
            if len(value) == 10
            else dt.datetime.fromisoformat(value)
        )
    except ValueError as error:
        raise IdentityFileError(
            f"line {line}: {column} {value!r} is not a date or time like 2026-01-05T08:00"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def read_identities(organisation: Organisation, data: bytes) -> list[MappingRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IdentityFileError("the file is not UTF-8 text (save it as CSV UTF-8)") from error
    reader = csv.DictReader(io.StringIO(text))
    header = {h.strip() for h in reader.fieldnames or ()}
    if "person" not in header or not header & {"login", "ip"}:
        raise IdentityFileError("line 1: the header needs 'person' and 'login' and/or 'ip'")
    zone = ZoneInfo(organisation.timezone)
    staff = StaffRecord.objects.filter(organisation=organisation)
    by_key: dict[str, int] = {}
    for record in staff:
        if record.work_email:
            by_key[record.work_email.lower()] = record.pk
        if record.mis_id:
            by_key[record.mis_id.lower()] = record.pk
    rows: list[MappingRow] = []
    try:
        for line, raw in enumerate(reader, start=2):
            if line > MAX_ROWS + 1:
                raise IdentityFileError(f"line {line}: more than {MAX_ROWS} rows")
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            person = row.get("person", "")
            if person.lower() not in by_key:
                raise IdentityFileError(
                    f"line {line}: person {person!r} is not a work email or MIS id "
                    "on the staff list"
                )
            login, ip = row.get("login", "").lower(), row.get("ip", "")
            if not login and not ip:
                raise IdentityFileError(f"line {line}: needs a login or an ip")
            if ip:
                try:
                    ipaddress.ip_address(ip)
                except ValueError as error:
                    raise IdentityFileError(
                        f"line {line}: ip {ip!r} is not an IP address"
                    ) from error
            start = _moment(row.get("valid_from", ""), zone, line, "valid_from")
            end = _moment(row.get("valid_to", ""), zone, line, "valid_to")
            if start and end and end <= start:
                raise IdentityFileError(f"line {line}: valid_to is not after valid_from")
            if ip and not (start and end):
                raise IdentityFileError(
                    f"line {line}: an ip lease needs valid_from and valid_to (addresses are reused)"
                )
            rows.append(MappingRow(by_key[person.lower()], login, ip, start, end))
    except csv.Error as error:
        raise IdentityFileError(f"line {reader.line_num}: not valid CSV ({error})") from error
    return rows
