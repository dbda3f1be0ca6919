"""Recurrence rules: the RRULE subset of the contract, parsed, validated and normalised, and
evaluated with python-dateutil's ``rrule`` on the local wall clock of the rule's zone.

Wall-clock semantics: occurrences are generated as naive local datetimes (the local time of
day of ``starts_at``), then placed on the time line with ``zoneinfo`` at ``fold=0``. For a
local time that does not exist (the clocks jump over it) ``fold=0`` applies the offset from
before the jump, which is the local time moved forward by the gap; for an ambiguous one
(the clocks fall back over it) ``fold=0`` is its first instant. Both as the contract says.

Every rule of the subset produces at most one occurrence per local date, at one local time of
day, so local order and instant order agree (a DST shift is shorter than a day).
"""

from __future__ import annotations

import datetime as datetime_module
import functools
import re
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateutil.rrule as _rrule_module
from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, weekday

FREQUENCIES: Final = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PART_ORDER: Final = (
    "FREQ",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "COUNT",
    "UNTIL",
    "WKST",
)
ANCHORS: Final = ("schedule", "completion")
INTERVAL_MAX = 366
COUNT_MAX = 10_000
RULE_MAX_CHARS = 1000
# How far ahead an evaluation looks for an occurrence, at least: a rule that yields none this
# far after the point it starts from has none ("no occurrence"; the end of a series). Scaled
# with INTERVAL so that every legitimate rule yields at least two occurrences within it.
HORIZON_YEARS = 50

_BYDAY = re.compile(r"^([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_INT = re.compile(r"^[+-]?\d{1,5}$")
_UNTIL_UTC = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_UNTIL_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TZ = re.compile(r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_YEARS_PER_PERIOD = {DAILY: 1 / 365, WEEKLY: 7 / 365, MONTHLY: 1 / 12, YEARLY: 1.0}


class RuleError(ValueError):
    """An invalid ``recurrence``; the message names the problem (answered as a 422)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A parsed rule of the subset (values validated)."""

    freq: int
    interval: int = 1
    byday: tuple[tuple[int | None, int], ...] = ()  # (ordinal or None, weekday 0=MO)
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    count: int | None = None
    until_utc: datetime | None = None  # UNTIL=…Z: the last instant allowed
    until_date: date | None = None  # UNTIL=YYYYMMDD: the last local date allowed
    wkst: int | None = None

    @property
    def has_by_parts(self) -> bool:
        return bool(self.byday or self.bymonthday or self.bymonth)

    def text(self) -> str:
        """The normalised spelling: upper case, parts in the contract's order."""
        name = next(k for k, v in FREQUENCIES.items() if v == self.freq)
        parts = [f"FREQ={name}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            days = [f"{'' if n is None else n}{WEEKDAYS[d]}" for n, d in self.byday]
            parts.append("BYDAY=" + ",".join(days))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.bymonthday)))
        if self.bymonth:
            parts.append("BYMONTH=" + ",".join(map(str, self.bymonth)))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until_utc is not None:
            parts.append("UNTIL=" + self.until_utc.strftime("%Y%m%dT%H%M%SZ"))
        if self.until_date is not None:
            parts.append("UNTIL=" + self.until_date.strftime("%Y%m%d"))
        if self.wkst is not None:
            parts.append(f"WKST={WEEKDAYS[self.wkst]}")
        return ";".join(parts)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A task's recurrence: the rule, its zone, its anchor and the series start (an instant)."""

    rule: Rule
    tz: str
    anchor: str
    starts_at: datetime

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


# --- parsing ---------------------------------------------------------------------------------


def _int_list(name: str, value: str, low: int, high: int, *, signed: bool) -> tuple[int, ...]:
    out: list[int] = []
    for item in value.split(","):
        if not _INT.match(item):
            raise RuleError(f"{name} takes integers")
        n = int(item)
        ok = low <= abs(n) <= high if signed else low <= n <= high and item[0] not in "+-"
        if not ok or n == 0:
            span = f"{low}…{high} or -{high}…-{low}" if signed else f"{low}…{high}"
            raise RuleError(f"{name} values must be {span}")
        if n not in out:
            out.append(n)
    return tuple(out)


def _byday(value: str, freq: int) -> tuple[tuple[int | None, int], ...]:
    out: list[tuple[int | None, int]] = []
    for item in value.split(","):
        m = _BYDAY.match(item)
        if m is None or (m.group(1) and not m.group(2)):
            raise RuleError("BYDAY takes MO, TU, WE, TH, FR, SA, SU, optionally with an ordinal")
        ordinal = None if m.group(2) is None else int(m.group(1) + m.group(2))
        if ordinal is not None:
            if freq not in (MONTHLY, YEARLY):
                raise RuleError(
                    "BYDAY ordinals (such as 2TU) are allowed only with MONTHLY or YEARLY"
                )
            limit = 5 if freq == MONTHLY else 53
            if not 1 <= abs(ordinal) <= limit:
                raise RuleError(f"BYDAY ordinals must be 1…{limit} or -{limit}…-1")
        entry = (ordinal, WEEKDAYS.index(m.group(3)))
        if entry not in out:
            out.append(entry)
    return tuple(out)


def _until(value: str) -> tuple[datetime | None, date | None]:
    try:
        if m := _UNTIL_UTC.match(value):
            y, mo, d, h, mi, s = (int(g) for g in m.groups())
            return datetime(y, mo, d, h, mi, s, tzinfo=UTC), None
        if m := _UNTIL_DATE.match(value):
            y, mo, d = (int(g) for g in m.groups())
            return None, date(y, mo, d)
    except ValueError:
        raise RuleError("UNTIL is not a valid date") from None
    raise RuleError("UNTIL must be YYYYMMDDTHHMMSSZ (UTC) or YYYYMMDD (a local date)")


@functools.lru_cache(maxsize=1024)
def parse_rule(text: str) -> Rule:
    """The rule of an RRULE value of the subset; RuleError for anything else. Cached (a Rule is
    immutable): every read of a recurring task parses its stored rule."""
    if not text or len(text) > RULE_MAX_CHARS:
        raise RuleError(f"rule must be 1-{RULE_MAX_CHARS} characters")
    parts: dict[str, str] = {}
    for part in text.upper().split(";"):
        name, sep, value = part.partition("=")
        if not sep or not name or not value:
            raise RuleError("rule must be NAME=VALUE parts separated by ';'")
        if name not in PART_ORDER:
            raise RuleError(f"{name} is not supported (allowed: {', '.join(PART_ORDER)})")
        if name in parts:
            raise RuleError(f"{name} appears more than once")
        parts[name] = value
    if "FREQ" not in parts:
        raise RuleError("FREQ is required")
    if parts["FREQ"] not in FREQUENCIES:
        raise RuleError("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
    freq = FREQUENCIES[parts["FREQ"]]
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("COUNT and UNTIL cannot both be given")
    values: dict[str, Any] = {"freq": freq}
    if "INTERVAL" in parts:
        values["interval"] = _int_list("INTERVAL", parts["INTERVAL"], 1, INTERVAL_MAX, signed=False)
        if len(values["interval"]) != 1 or "," in parts["INTERVAL"]:
            raise RuleError("INTERVAL takes one integer")
        values["interval"] = values["interval"][0]
    if "BYDAY" in parts:
        values["byday"] = _byday(parts["BYDAY"], freq)
    if "BYMONTHDAY" in parts:
        if freq == WEEKLY:
            raise RuleError("BYMONTHDAY is not allowed with FREQ=WEEKLY")
        values["bymonthday"] = _int_list("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, signed=True)
    if "BYMONTH" in parts:
        values["bymonth"] = _int_list("BYMONTH", parts["BYMONTH"], 1, 12, signed=False)
    if "COUNT" in parts:
        count = _int_list("COUNT", parts["COUNT"], 1, COUNT_MAX, signed=False)
        if len(count) != 1 or "," in parts["COUNT"]:
            raise RuleError("COUNT takes one integer")
        values["count"] = count[0]
    if "UNTIL" in parts:
        values["until_utc"], values["until_date"] = _until(parts["UNTIL"])
    if "WKST" in parts:
        if parts["WKST"] not in WEEKDAYS:
            raise RuleError("WKST must be one of MO, TU, WE, TH, FR, SA, SU")
        values["wkst"] = WEEKDAYS.index(parts["WKST"])
    return Rule(**values)


def time_zone(name: str) -> ZoneInfo:
    if not name or len(name) > 64 or not _TZ.fullmatch(name):
        raise RuleError("tz must be an IANA time zone name such as Europe/Madrid")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise RuleError(f"unknown time zone {name!r}") from None


# --- evaluation ------------------------------------------------------------------------------


def to_instant(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive local wall-clock time on the time line (UTC): fold=0 (see the module doc)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


_MAXYEAR: ContextVar[int] = ContextVar("rrule_maxyear", default=MAXYEAR)


class _BoundedDatetimeModule(types.ModuleType):
    """dateutil's rrule stops scanning only at ``datetime.MAXYEAR``: a rule that matches
    nothing would scan every period up to year 9999 (seconds for a DAILY rule). rrule's
    module sees this copy of the ``datetime`` module, whose MAXYEAR is the current
    evaluation's horizon (a context variable: per thread and per asyncio task; the real
    9999 outside :func:`_horizon`)."""

    @property
    def MAXYEAR(self) -> int:  # noqa: N802 (the datetime module's name)
        return _MAXYEAR.get()


def _install() -> None:
    if isinstance(_rrule_module.datetime, _BoundedDatetimeModule):  # type: ignore[attr-defined]
        return
    stand_in = _BoundedDatetimeModule("datetime")
    stand_in.__dict__.update({k: v for k, v in vars(datetime_module).items() if k != "MAXYEAR"})
    _rrule_module.datetime = stand_in  # type: ignore[attr-defined]


_install()


@contextmanager
def _horizon(maxyear: int) -> Iterator[None]:
    token = _MAXYEAR.set(min(maxyear, MAXYEAR))
    try:
        yield
    finally:
        _MAXYEAR.reset(token)


def horizon_year(rule: Rule, start_year: int) -> int:
    span = max(HORIZON_YEARS, int(2 * rule.interval * _YEARS_PER_PERIOD[rule.freq]) + 2)
    return start_year + span


def _defaults(rule: Rule, dtstart: datetime) -> dict[str, Any]:
    """The BY parts for dateutil, with the implicit ones (taken from DTSTART by RFC 5545)
    made explicit, so that a rule re-based to a later period start means the same."""
    kwargs: dict[str, Any] = {"interval": rule.interval}
    if rule.wkst is not None:
        kwargs["wkst"] = rule.wkst
    if rule.byday:
        kwargs["byweekday"] = [weekday(d, n) for n, d in rule.byday]
    if rule.bymonthday:
        kwargs["bymonthday"] = list(rule.bymonthday)
    if rule.bymonth:
        kwargs["bymonth"] = list(rule.bymonth)
    if not (rule.byday or rule.bymonthday):
        if rule.freq == YEARLY:
            kwargs.setdefault("bymonth", [dtstart.month])
            kwargs["bymonthday"] = [dtstart.day]
        elif rule.freq == MONTHLY:
            kwargs["bymonthday"] = [dtstart.day]
        elif rule.freq == WEEKLY:
            kwargs["byweekday"] = [dtstart.weekday()]
    return kwargs


def _period_start(rule: Rule, dtstart: datetime, at_or_before: datetime) -> datetime:
    """The start of the latest period of the rule (counted from DTSTART, every INTERVAL
    periods) that begins on or before ``at_or_before``; DTSTART when that is earlier."""
    n = rule.interval
    if at_or_before <= dtstart:
        return dtstart
    if rule.freq == DAILY:
        k = (at_or_before.date() - dtstart.date()).days // n
        return dtstart + timedelta(days=k * n)
    if rule.freq == WEEKLY:
        wkst = 0 if rule.wkst is None else rule.wkst
        first = dtstart.date() - timedelta(days=(dtstart.weekday() - wkst) % 7)
        k = (at_or_before.date() - first).days // (7 * n)
        return datetime.combine(first + timedelta(weeks=k * n), dtstart.time())
    if rule.freq == MONTHLY:
        months = (at_or_before.year - dtstart.year) * 12 + at_or_before.month - dtstart.month
        start = date(dtstart.year, dtstart.month, 1) + relativedelta(months=months // n * n)
        return datetime.combine(start, dtstart.time())
    years = (at_or_before.year - dtstart.year) // n * n
    return datetime.combine(date(dtstart.year + years, 1, 1), dtstart.time())


def _rule_dates(
    rule: Rule, dtstart: datetime, after: datetime, maxyear: int, limit: int
) -> list[datetime]:
    """Up to ``limit`` of the rule's local dates later than ``after``, by dateutil (started at
    the period that holds ``after`` when COUNT does not need the whole series), computed
    inside the bounded horizon."""
    kwargs = _defaults(rule, dtstart)
    start = dtstart if rule.count is not None else _period_start(rule, dtstart, after)
    out: list[datetime] = []
    with _horizon(maxyear):
        for local in rrule(rule.freq, dtstart=start, cache=False, **kwargs):  # type: ignore[arg-type]
            if local > after:
                out.append(local)
                if len(out) >= limit:
                    break
    return out


def _in_until(rule: Rule, local: datetime, instant: datetime) -> bool:
    if rule.until_utc is not None and instant > rule.until_utc:
        return False
    return rule.until_date is None or local.date() <= rule.until_date


def next_after(rec: Recurrence, instant: datetime) -> datetime | None:
    """The first occurrence of a schedule-anchored series strictly later than ``instant``:
    ``starts_at`` is always the first occurrence (RFC 5545), then the rule's later dates,
    within COUNT (counting ``starts_at``) and UNTIL. None: the series ends before."""
    rule, zone = rec.rule, rec.zone
    dtstart = to_local(rec.starts_at, zone)
    if rec.starts_at > instant:
        return rec.starts_at if _in_until(rule, dtstart, rec.starts_at) else None
    # an occurrence in a local year after the horizon counts as none
    maxyear = horizon_year(rule, to_local(instant, zone).year)
    try:
        if rule.count is not None:  # the whole series, to count it
            if rule.count == 1:
                return None
            dates = _rule_dates(rule, dtstart, dtstart, maxyear, rule.count - 1)
        else:  # a few dates from just before ``instant`` (local and instant order agree)
            after = max(dtstart, to_local(instant, zone) - timedelta(days=2))
            dates = _rule_dates(rule, dtstart, after, maxyear, 4)
        for local in dates:
            at = to_instant(local, zone)
            if not _in_until(rule, local, at):
                return None
            if at > instant:
                return at
    except OverflowError:  # beyond year 9999
        return None
    return None


def plus_interval(rec: Recurrence, local_day: date) -> datetime:
    """``local_day`` + INTERVAL units at ``starts_at``'s local time of day (a month end
    clamps: Jan 31 + 1 month = Feb 28/29), as an instant."""
    zone = rec.zone
    n, freq = rec.rule.interval, rec.rule.freq
    step = {
        DAILY: relativedelta(days=n),
        WEEKLY: relativedelta(weeks=n),
        MONTHLY: relativedelta(months=n),
        YEARLY: relativedelta(years=n),
    }[freq]
    day = local_day + step
    return to_instant(datetime.combine(day, to_local(rec.starts_at, zone).time()), zone)


def _completion_in_bounds(rec: Recurrence, instant: datetime, number: int) -> bool:
    rule = rec.rule
    if rule.count is not None and number > rule.count:
        return False
    if rule.until_utc is not None and instant > rule.until_utc:
        return False
    return rule.until_date is None or to_local(instant, rec.zone).date() <= rule.until_date


def next_due(
    rec: Recurrence, due: datetime, completed_at: datetime, occurrence: int
) -> datetime | None:
    """The due date after completing the occurrence ``due`` (number ``occurrence`` of the
    series) at ``completed_at``; None when the series ends (also past year 9999)."""
    try:
        if rec.anchor == "completion":
            candidate = plus_interval(rec, to_local(completed_at, rec.zone).date())
            return candidate if _completion_in_bounds(rec, candidate, occurrence + 1) else None
        return next_after(rec, max(due, completed_at))
    except OverflowError:  # a local time or the next date beyond year 9999: the series ends
        return None


def successor(rec: Recurrence, due: datetime, occurrence: int) -> datetime | None:
    """The occurrence after the one due at ``due`` (streaks: completing before it keeps the
    streak); None when there is none (also past year 9999)."""
    try:
        if rec.anchor == "completion":
            candidate = plus_interval(rec, to_local(due, rec.zone).date())
            return candidate if _completion_in_bounds(rec, candidate, occurrence + 1) else None
        return next_after(rec, due)
    except OverflowError:
        return None


def validate(rec: Recurrence) -> None:
    """RuleError when the rule cannot be used from this start: anchor ``completion`` with BY
    parts, or a rule that produces no date at all."""
    rule = rec.rule
    if rec.anchor == "completion" and rule.has_by_parts:
        raise RuleError("anchor 'completion' is allowed only for rules without BY… parts")
    if rule.bymonthday:  # a day of the month that no month of the rule has: no need to scan
        months = rule.bymonth or tuple(range(1, 13))
        if not any(abs(d) <= _MONTH_DAYS[m - 1] for m in months for d in rule.bymonthday):
            raise RuleError("the rule produces no date (no occurrence)")
    zone = rec.zone
    try:
        dtstart = to_local(rec.starts_at, zone)
    except OverflowError:
        raise RuleError("the due date is after year 9999 in the rule's time zone") from None
    maxyear = horizon_year(rule, dtstart.year)
    unlimited = Rule(**{**_fields(rule), "count": None, "until_utc": None, "until_date": None})
    try:
        dates = _rule_dates(unlimited, dtstart, dtstart - timedelta(seconds=1), maxyear, 1)
    except (ValueError, OverflowError):
        dates = []
    if not dates:
        raise RuleError("the rule produces no date (no occurrence)")
    if not _in_until(rule, dates[0], to_instant(dates[0], zone)):
        raise RuleError("the rule produces no date before UNTIL (no occurrence)")


def _fields(rule: Rule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in Rule.__slots__}
