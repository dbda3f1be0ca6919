"""Validated field types of the request bodies and query values, at the edges of their types.

The contract's conventions rows "timestamps in requests" and "text":

* :data:`Timestamp`: an RFC 3339 ``date-time`` string only (with seconds, an offset ``Z`` or
  ``±HH:MM``, at most 6 fractional digits, no leap second); numbers, numeric strings, date-only
  strings and ``+0100`` offsets are refused. The instant must lie within
  0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999999Z once converted to UTC (an offset can push a
  local time in range outside it). The value is the instant, in UTC.
* Text is NFC-normalised; C0/C1 control characters are refused (in a description, tab, LF and
  CR are allowed); a title made only of whitespace and zero-width (format) characters is empty.
* A tag is NFC-normalised, trimmed and lower-cased (``str.lower``), then 1-50 characters.

Each failure is a ``ValueError`` (pydantic turns it into a 422 naming the field).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
TAGS_MAX = 20
TAG_MAX = 50

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_TIMESTAMP_MESSAGE = (
    "must be an RFC 3339 date-time string with seconds and an offset "
    "(e.g. 2026-11-28T09:00:00+01:00)"
)
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)


def parse_timestamp(value: Any) -> datetime:
    """The UTC instant of an RFC 3339 date-time string (or of an aware datetime)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(_TIMESTAMP_MESSAGE)
        return _in_range(value)
    if not isinstance(value, str):
        raise ValueError(_TIMESTAMP_MESSAGE)
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise ValueError(_TIMESTAMP_MESSAGE)
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if zulu:
        tz = UTC
    else:
        if int(off_h) > 23 or int(off_m) > 59:
            raise ValueError(_TIMESTAMP_MESSAGE)
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        tz = timezone(-offset if sign == "-" else offset)
    try:
        local = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:  # month 13, 30 February, :60, year 0
        raise ValueError(_TIMESTAMP_MESSAGE + "; that date or time does not exist") from None
    return _in_range(local)


def _in_range(value: datetime) -> datetime:
    offset = value.utcoffset() or timedelta(0)
    naive_utc = value.replace(tzinfo=None)
    # Compare without converting (the conversion itself overflows outside years 1-9999).
    if (offset > timedelta(0) and naive_utc - datetime.min < offset) or (
        offset < timedelta(0) and datetime.max - naive_utc < -offset
    ):
        raise ValueError(
            "the instant must lie within 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z"
        )
    return value.astimezone(UTC)


Timestamp = Annotated[
    datetime,
    PlainValidator(parse_timestamp),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

# C0 and C1 control characters, and DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_WHITESPACE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _no_controls(value: str, pattern: re.Pattern[str] = _CONTROL) -> str:
    if pattern.search(value):
        raise ValueError("must not contain control characters")
    return value


def _blank(value: str) -> bool:
    """Only whitespace and zero-width (Unicode format, Cf) characters."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value)


def title(value: str) -> str:
    value = _no_controls(_nfc(value).strip())
    if not 1 <= len(value) <= TITLE_MAX:
        raise ValueError(f"must be 1-{TITLE_MAX} characters after trimming")
    if _blank(value):
        raise ValueError("must not be empty once whitespace and zero-width characters are removed")
    return value


def description(value: str) -> str:
    value = _no_controls(_nfc(value), _CONTROL_BUT_WHITESPACE)
    if len(value) > DESCRIPTION_MAX:
        raise ValueError(f"must be at most {DESCRIPTION_MAX} characters")
    return value


def tag(value: str) -> str:
    value = _no_controls(_nfc(value).strip()).lower()
    if not 1 <= len(value) <= TAG_MAX:
        raise ValueError(f"each tag must be 1-{TAG_MAX} characters after trimming")
    return value


def tags(values: list[str]) -> list[str]:
    """Normalised, first occurrence kept, at most TAGS_MAX distinct."""
    out = list(dict.fromkeys(tag(v) for v in values))
    if len(out) > TAGS_MAX:
        raise ValueError(f"at most {TAGS_MAX} distinct tags")
    return out


def search_text(value: str) -> str:
    """The ``q`` of a listing: NFC (titles and descriptions are stored NFC), no NUL."""
    value = _nfc(value)
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value
