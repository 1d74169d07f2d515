"""What each web filter's CSV export calls its columns, how it writes times, how it marks
a blocked request.

Looked up in the products' public help pages (sources and how sure we are, product by
product, in docs/weblogs-formats.md). None of the four vendors publishes an export's header
line, so the names are the column labels their report pages document, with the obvious
variants; a real export that differs is read with `--columns` (the column mapping), which
overrides any field, the time format and the blocked words.

A preset maps each field to the header names tried in order (compared without case, spaces
or punctuation, so "Date / Time" is "Date/Time"), plus two settings:
`time_format` (tried in order; "iso" is ISO 8601, anything else a strptime pattern) and
`denied` (whole words in the action cell that mark a blocked request).
"""

from __future__ import annotations

ISO = "iso"
# Numeric dates are ambiguous (06/01/2025): each preset reads them one way only.
DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")
MONTH_FIRST = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M")
NAMED_MONTH = (
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %I:%M %p",
    "%b %d %Y %H:%M:%S",
)

# `--format csv` with a column mapping: day-first (UK) dates, and the usual blocked words,
# plus true/yes for a "Blocked" column that holds a yes/no.
GENERIC: dict[str, tuple[str, ...]] = {
    "time_format": (ISO, *DAY_FIRST, *NAMED_MONTH),
    "denied": ("blocked", "block", "denied", "deny", "rejected", "reject", "true", "yes"),
}

PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    # REPORTS > Logs > Web filter, "Export" (on-premise Filter and Firewall): Time, Username,
    # Source IP, Group, Code, URL, Categories (the page's documented columns).
    "smoothwall": {
        "preset": ("smoothwall",),
        "time": ("Time", "Date/Time", "Date Time", "Timestamp"),
        "date": ("Date",),
        "user": ("Username", "User"),
        "client": ("Source IP", "Client IP", "IP Address"),
        "url": ("URL", "Request URL", "Domain"),
        "action": ("Action", "Result", "Status"),
        "time_format": (ISO, *DAY_FIRST, *NAMED_MONTH),
        "denied": ("blocked", "block", "denied", "deny"),
    },
    # Web Filter "Activity Logs" report: Destination, Action (Allowed, Redirected or
    # Blocked), Reason, User, IP Address, ...; Relay's website history: date and time,
    # URL, duration, reason, IP address. A US product: numeric dates month first.
    "lightspeed": {
        "preset": ("lightspeed",),
        "time": ("Time", "Date/Time", "Date Time", "Timestamp"),
        "date": ("Date",),
        "user": ("User", "Username", "Email", "User Email"),
        "client": ("IP Address", "IP", "Client IP"),
        "url": ("Destination", "URL", "Website", "Site", "Domain"),
        "action": ("Action", "Status"),
        "time_format": (ISO, *MONTH_FIRST, *NAMED_MONTH),
        "denied": ("blocked", "block"),
    },
    # Filter activity reports: the site's URL, who, Allowed or Blocked, category, policy,
    # date and time; the activity details add IP and OU. A US product: month first.
    "securly": {
        "preset": ("securly",),
        "time": ("Time", "Date/Time", "Date Time", "Timestamp"),
        "date": ("Date",),
        "user": ("User", "Email", "User Email", "Username"),
        "client": ("IP", "IP Address"),
        "url": ("URL", "Site", "Website", "Domain"),
        "action": ("Action", "Status", "Activity Type", "Type"),
        "time_format": (ISO, *MONTH_FIRST, *NAMED_MONTH),
        "denied": ("blocked", "block"),
    },
    # Request Logs columns (Netsweeper's WebAdmin as shipped by an OEM): Timestamp, URL,
    # Client IP, Client Name, Event Type, ... "Client Name" is not taken as the login: it
    # may be a computer name (map it with user=Client Name when it holds logins).
    "netsweeper": {
        "preset": ("netsweeper",),
        "time": ("Timestamp", "Date Time", "Date/Time", "Time"),
        "date": ("Date",),
        "user": ("User", "Username", "User Name", "Login"),
        "client": ("Client IP", "Client", "IP"),
        "url": ("URL", "Host", "Site"),
        "action": ("Event Type", "Action", "Status", "Result"),
        "time_format": (ISO, *DAY_FIRST, *NAMED_MONTH),
        "denied": ("deny", "denied", "blocked", "block"),
    },
}
