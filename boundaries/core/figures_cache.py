"""Figures computed from many rows, kept in this process until the next write.

Why: a dashboard counts every member of staff and every assignment of a school, then
renders tables and a chart of them. That is 10 to 30 ms of CPU, while the figures change only
when someone writes, and every write goes through an action that appends to the audit
chain in the same transaction (STYLE.md, rule 1).

How it stays exact: each entry is stored with the head of the audit chain it was computed
at (`AuditHead`: the last sequence number and hash). A page reads the head — one row, by
primary key — and uses an entry only if the head is still the same, so it can never show
figures older than the last write, whichever server made the write: every server reads the
same head from the shared database. The hash, not only the number, names the head, so a
database restored from a backup (where the numbers start again lower) never matches an
entry computed before the restore. Entries also carry whatever else they depend on (the
day, what the viewer may see) in their key. Only figures go here, never a decision about
who may see them: permissions are checked on every request before the cache is asked.

A write made outside the actions (a database shell) is not seen until the next action
writes or the day changes; restart the servers after such repairs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any

from django.db import connection

from boundaries.core import sql
from boundaries.core.models import AuditHead

# Each entry is one school's rendered dashboard or similar (tens of kilobytes): enough for
# every school an authority's server sees in a day, bounded so a worker's memory is too.
MAX_ENTRIES = 256

_entries: OrderedDict[Hashable, tuple[tuple[int, str], Any]] = OrderedDict()
_lock = threading.Lock()


@cache
def _head_sql(vendor: str) -> str:
    return (
        f"SELECT {sql.column(AuditHead, 'h', 'last_seq')}, "  # noqa: S608  # nosec B608 - names from model metadata
        f"{sql.column(AuditHead, 'h', 'last_hash')} FROM {sql.table(AuditHead)} h "
        f"WHERE {sql.column(AuditHead, 'h', 'id')} = 1"
    )


def written() -> tuple[int, str]:
    """The head of the audit chain: it changes with every write made through an action."""
    found = sql.rows(_head_sql(connection.vendor), [])
    return (int(found[0][0]), str(found[0][1])) if found else (0, "")


def until_written[T](
    key: Hashable, compute: Callable[[], T], *, head: tuple[int, str] | None = None
) -> T:
    """`compute()`, or what it returned for this key since the last write. A caller that
    has already read the chain's head with one of its own statements passes it as `head`
    (read before `compute` runs, so that a write in between is never hidden)."""
    head = written() if head is None else head
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry[0] == head:
            _entries.move_to_end(key)
            return entry[1]
    value = compute()
    with _lock:
        _entries[key] = (head, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every entry (tests that count the queries of a first visit)."""
    with _lock:
        _entries.clear()
