"""The next due date equals an independent evaluation, over thousands of generated rules,
series starts and zones around daylight-saving changes.

The oracle parses the rule with dateutil's own ``rrulestr`` (not the service's parser),
enumerates the whole series from DTSTART (no re-basing, no horizon), applies RFC 5545's
"DTSTART is the first occurrence" and COUNT / UNTIL itself, and places local times on the
time line by trying the zone's offsets (not ``fold``): a local time that two offsets give
takes the earlier instant; one that none gives (a gap) moves forward by the gap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from task_manager.tasks import recurrence as rr

ZONES = [
    "UTC",
    "Europe/Madrid",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
]
# Local dates next to the 2026/2027 DST changes of those zones.
NEAR = [
    date(2026, 3, 8),
    date(2026, 3, 29),
    date(2026, 4, 5),
    date(2026, 9, 27),
    date(2026, 10, 25),
    date(2026, 11, 1),
    date(2027, 3, 14),
    date(2027, 3, 28),
    date(2027, 4, 4),
]
# Local times of day including those that fall in a gap or an overlap somewhere.
TIMES = [time(0, 0), time(1, 30), time(2, 0), time(2, 15), time(2, 30), time(2, 45), time(3, 0)]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def oracle_instant(local: datetime, zone: ZoneInfo) -> datetime:
    offsets = {zone.utcoffset(local.replace(fold=f)) for f in (0, 1)}
    valid = []
    for offset in offsets:
        assert offset is not None
        instant = (local - offset).replace(tzinfo=UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == local:
            valid.append(instant)
    if valid:
        return min(valid)
    before = zone.utcoffset(local - timedelta(hours=6))
    assert before is not None
    return (local - before).replace(tzinfo=UTC)  # the gap: forward by its length


def oracle_next(rule: rr.Rule, tz: str, starts_at: datetime, after: datetime) -> datetime | None:
    zone = ZoneInfo(tz)
    dtstart = starts_at.astimezone(zone).replace(tzinfo=None)
    plain = rr.Rule(
        freq=rule.freq,
        interval=rule.interval,
        byday=rule.byday,
        bymonthday=rule.bymonthday,
        bymonth=rule.bymonth,
        wkst=rule.wkst,
    )
    series = rrulestr(plain.text(), dtstart=dtstart)
    horizon = rr.horizon_year(rule, after.astimezone(zone).year)
    for produced, local in enumerate(_with([dtstart], series, dtstart), start=1):
        if rule.count is not None and produced > rule.count:
            return None
        instant = oracle_instant(local, zone)
        if rule.until_utc is not None and instant > rule.until_utc:
            return None
        if rule.until_date is not None and local.date() > rule.until_date:
            return None
        if local.year > horizon:  # the documented search horizon
            return None
        if instant > after:
            return instant
    return None


def _with(first: list[datetime], series: object, dtstart: datetime):  # type: ignore[no-untyped-def]
    yield from first
    for local in series:  # type: ignore[attr-defined]
        if local > dtstart:
            yield local


freqs = st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(freqs)
    parts = [f"FREQ={freq}"]
    interval = draw(st.sampled_from([1, 1, 1, 2, 3, 4, 7, 13]))
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        if freq in ("MONTHLY", "YEARLY") and draw(st.booleans()):
            ordinals = [draw(st.sampled_from([1, 2, 3, 4, -1, -2])) for _ in days]
            days = [f"{n}{d}" for n, d in zip(ordinals, days, strict=True)]
        parts.append("BYDAY=" + ",".join(days))
    if freq != "WEEKLY" and draw(st.integers(0, 3)) == 0:
        monthdays = draw(
            st.lists(
                st.sampled_from([1, 2, 13, 15, 28, 29, 30, 31, -1, -2]),
                min_size=1,
                max_size=2,
                unique=True,
            )
        )
        parts.append("BYMONTHDAY=" + ",".join(map(str, monthdays)))
    if draw(st.integers(0, 3)) == 0:
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))
        parts.append("BYMONTH=" + ",".join(map(str, months)))
    limit = draw(st.integers(0, 3))
    if limit == 1:
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    elif limit == 2:
        until = draw(st.dates(date(2026, 1, 1), date(2029, 12, 31)))
        parts.append("UNTIL=" + until.strftime("%Y%m%d"))
    elif limit == 3:
        until = draw(st.datetimes(datetime(2026, 1, 1), datetime(2029, 12, 31)))
        parts.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ"))
    if draw(st.integers(0, 4)) == 0:
        parts.append("WKST=" + draw(st.sampled_from(DAYS)))
    return ";".join(parts)


starts = st.builds(
    lambda day, shift, at: datetime.combine(day + timedelta(days=shift), at),
    st.sampled_from(NEAR),
    st.integers(-40, 10),
    st.sampled_from(TIMES),
)


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    text=rules(),
    tz=st.sampled_from(ZONES),
    start=starts,
    skip=st.integers(0, 5),
    late=st.integers(-3 * 86_400, 60 * 86_400),
)
def test_next_due_equals_an_independent_evaluation(
    text: str, tz: str, start: datetime, skip: int, late: int
) -> None:
    zone = ZoneInfo(tz)
    rule = rr.parse_rule(text)
    starts_at = start.replace(tzinfo=zone).astimezone(UTC)
    rec = rr.Recurrence(rule, tz, "schedule", starts_at)
    try:
        rr.validate(rec)
    except rr.RuleError:
        assume(False)
    # the current occurrence: a few occurrences into the series (by the oracle)
    due: datetime | None = starts_at
    for _ in range(skip):
        following = oracle_next(rule, tz, starts_at, due)
        if following is None:
            break
        due = following
    now = due + timedelta(seconds=late)
    expected = oracle_next(rule, tz, starts_at, max(due, now))
    assert rr.next_due(rec, due, now, 1) == expected
    assert rr.successor(rec, due, 1) == oracle_next(rule, tz, starts_at, due)


@settings(max_examples=1000, deadline=None)
@given(
    freq=freqs,
    interval=st.integers(1, 13),
    tz=st.sampled_from(ZONES),
    start=starts,
    completed_after=st.integers(-3 * 86_400, 400 * 86_400),
)
def test_anchor_completion_counts_from_the_completion_date(
    freq: str, interval: int, tz: str, start: datetime, completed_after: int
) -> None:
    zone = ZoneInfo(tz)
    rule = rr.parse_rule(f"FREQ={freq};INTERVAL={interval}")
    starts_at = start.replace(tzinfo=zone).astimezone(UTC)
    rec = rr.Recurrence(rule, tz, "completion", starts_at)
    completed_at = starts_at + timedelta(seconds=completed_after)
    unit = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}[freq]
    local_day = completed_at.astimezone(zone).date() + relativedelta(**{unit: interval})  # type: ignore[arg-type]
    at = starts_at.astimezone(zone).time()  # starts_at's local time of day (an instant's)
    expected = oracle_instant(datetime.combine(local_day, at), zone)
    assert rr.next_due(rec, starts_at, completed_at, 1) == expected


def test_a_rule_without_occurrences_is_refused_quickly_and_leaves_dateutil_as_it_was() -> None:
    import time as clock

    import dateutil.rrule

    rule = rr.parse_rule("FREQ=DAILY;INTERVAL=7;BYDAY=SU")  # from a Friday: never
    rec = rr.Recurrence(rule, "UTC", "schedule", datetime(2026, 11, 27, 7, tzinfo=UTC))
    started = clock.perf_counter()
    try:
        rr.validate(rec)
        raise AssertionError("accepted a rule with no occurrence")
    except rr.RuleError:
        pass
    assert clock.perf_counter() - started < 2  # unbounded, dateutil scans to year 9999
    assert dateutil.rrule.datetime.MAXYEAR == 9999  # type: ignore[attr-defined]
    assert rr.next_after(rec, datetime(2026, 11, 27, 8, tzinfo=UTC)) is None
