"""Values at the edge of their types answer 422 or work, never 500 (conventions rows
"timestamps in requests", "integers in headers", "text")."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from task_manager.tasks.fields import parse_timestamp

U = {"X-User-ID": "u-1"}

REFUSED_TIMESTAMPS = [
    1700000000,
    "1700000000",
    "2026-11-28",
    "2026-11-28T09:00",
    "2026-11-28T09:00:00",
    "2026-11-28T09:00:00+0100",
    "2026-11-28T09:00:60Z",
    "2026-11-28T09:00:00.1234567Z",
    "2026-02-30T09:00:00Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-00:01",
    "2026-11-28T09:00:00+24:00",
    "\uff12\uff10\uff12\uff16-11-28T09:00:00Z",
    True,
]


@pytest.mark.parametrize("value", REFUSED_TIMESTAMPS)
async def test_refused_timestamps_in_bodies(
    client: httpx.AsyncClient, assert_problem: Any, value: Any
) -> None:
    response = await client.post("/v1/tasks", json={"title": "t", "due_date": value}, headers=U)
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "due_date"]


@pytest.mark.parametrize("value", [v for v in REFUSED_TIMESTAMPS if isinstance(v, str)])
@pytest.mark.parametrize("name", ["due_before", "due_after", "updated_since"])
async def test_refused_timestamps_in_filters(
    client: httpx.AsyncClient, assert_problem: Any, value: str, name: str
) -> None:
    response = await client.get("/v1/tasks", params={name: value}, headers=U)
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["query", name]


@pytest.mark.parametrize("app", ["fast", "framework"], indirect=True)
@pytest.mark.parametrize(
    ("sent", "answered"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("0001-01-01T00:00:00-14:00", "0001-01-01T14:00:00Z"),
        ("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"),
        ("9999-12-31T23:59:59.999999+00:00", "9999-12-31T23:59:59.999999Z"),
        ("9999-12-31T10:00:00+13:59", "9999-12-30T20:01:00Z"),
        ("2026-11-28t09:00:00.5z", "2026-11-28T09:00:00.500000Z"),
    ],
)
async def test_extreme_instants_round_trip(
    client: httpx.AsyncClient, create_task: Any, sent: str, answered: str
) -> None:
    task = await create_task("u-1", due_date=sent)
    assert task["due_date"] == answered
    read = await client.get(f"/v1/tasks/{task['id']}", headers=U)
    assert read.json()["due_date"] == answered
    listed = await client.get("/v1/tasks", params={"due_after": sent}, headers=U)
    assert [t["id"] for t in listed.json()["items"]] == [task["id"]]
    before = await client.get("/v1/tasks", params={"due_before": sent}, headers=U)
    assert before.json()["items"] == []


@pytest.mark.parametrize("sort", ["due_date", "-due_date"])
async def test_pages_ending_on_the_latest_instant(
    client: httpx.AsyncClient, create_task: Any, sort: str
) -> None:
    ids = {(await create_task("u-1", due_date="9999-12-31T23:59:59.999999Z"))["id"]}
    ids |= {(await create_task("u-1", due_date="0001-01-01T00:00:00Z"))["id"]}
    ids |= {(await create_task("u-1"))["id"]}
    seen: list[str] = []
    params: dict[str, Any] = {"sort": sort, "limit": 1}
    while True:
        page = await client.get("/v1/tasks", params=params, headers=U)
        assert page.status_code == 200, page.text
        seen += [t["id"] for t in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY", "FREQ=YEARLY", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=DAILY;COUNT=2"]
)
@pytest.mark.parametrize("due", ["9999-12-31T23:59:59.999999Z", "9999-12-30T12:00:00Z"])
async def test_recurring_tasks_at_the_end_of_time(
    client: httpx.AsyncClient, create_task: Any, rule: str, due: str
) -> None:
    """A series whose next occurrence would fall after year 9999 ends like any other series:
    completing it is a 200, undoing it restores it; never a 500."""
    task = await create_task("u-1", due_date=due, recurrence={"rule": rule, "tz": "UTC"})
    path = f"/v1/tasks/{task['id']}"
    done = await client.patch(path, json={"status": "completed"}, headers=U)
    assert done.status_code == 200, done.text
    ledger = await client.get(f"{path}/completions", headers=U)
    assert ledger.status_code == 200, ledger.text
    latest = ledger.json()["items"][0]
    assert latest["due_date"] == task["due_date"]
    undone = await client.delete(f"{path}/completions/{latest['id']}", headers=U)
    assert undone.status_code == 200, undone.text
    assert undone.json()["due_date"] == task["due_date"]
    assert undone.json()["status"] == "pending"
    stats = await client.get("/v1/stats", headers=U)
    assert stats.status_code == 200, stats.text


async def test_a_series_starting_after_year_9999_in_its_zone_is_refused(
    client: httpx.AsyncClient, assert_problem: Any
) -> None:
    """The instant is in range in UTC, but its local time in UTC+14 is in year 10000."""
    body = {
        "title": "t",
        "due_date": "9999-12-31T23:00:00Z",
        "recurrence": {"rule": "FREQ=DAILY", "tz": "Pacific/Kiritimati"},
    }
    answer = await client.post("/v1/tasks", json=body, headers=U)
    problem = assert_problem(answer, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", "recurrence"]


OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(timezones=OFFSETS))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_every_formatted_instant_parses_to_itself_or_is_out_of_range(value: datetime) -> None:
    offset = value.utcoffset()
    assert offset is not None
    try:
        value.astimezone(UTC)
        in_range = True
    except OverflowError:
        in_range = False
    if in_range:
        parsed = parse_timestamp(value.isoformat())
        assert parsed == value
        assert parsed.tzinfo is UTC
    else:
        with pytest.raises(ValueError, match="within"):
            parse_timestamp(value.isoformat())


@pytest.mark.parametrize("app", ["fast", "framework"], indirect=True)
@pytest.mark.parametrize(
    "version", ["2147483648", "99999999999999999999", "1" * 40, "\u00b2", "\u0663"]
)
async def test_if_match_versions_no_task_has(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any, version: str
) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    header = {**U, "If-Match": f'"{version}"'.encode()}
    assert_problem(
        await client.patch(path, json={"title": "x"}, headers=header), 412, "precondition_failed"
    )
    assert_problem(await client.delete(path, headers=header), 412, "precondition_failed")
    response = await client.get(path, headers={**U, "If-None-Match": f'"{version}"'.encode()})
    assert response.status_code == 200


async def test_tags_are_nfc_then_lower_cased(create_task: Any) -> None:
    composed = "caf\u00e9"
    decomposed = unicodedata.normalize("NFD", composed)
    task = await create_task("u-1", tags=[composed, decomposed, "CAF\u00c9", " Ab "])
    assert task["tags"] == ["caf\u00e9", "ab"]


async def test_title_and_description_are_nfc(create_task: Any) -> None:
    task = await create_task("u-1", title="Cafe\u0301 ", description="Cafe\u0301\tok\r\n")
    assert task["title"] == "Caf\u00e9"
    assert task["description"] == "Caf\u00e9\tok\r\n"


async def test_tag_filter_matches_either_normal_form(
    client: httpx.AsyncClient, create_task: Any
) -> None:
    task = await create_task("u-1", tags=["caf\u00e9"])
    listed = await client.get("/v1/tasks", params={"tag": "CAFE\u0301"}, headers=U)
    assert [t["id"] for t in listed.json()["items"]] == [task["id"]]


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "a\x07b"},
        {"title": "a\u0085b"},
        {"title": "a\nb"},
        {"title": "\u200b\u200d\ufeff"},
        {"title": " \u2060 "},
        {"title": "ok", "description": "bell\x07"},
        {"title": "ok", "description": "c1\x9b"},
        {"title": "ok", "tags": ["a\x1bb"]},
        {"title": "ok", "tags": ["\u0130" * 50]},  # str.lower doubles it past 50
    ],
)
async def test_refused_text(
    client: httpx.AsyncClient, assert_problem: Any, fields: dict[str, Any]
) -> None:
    response = await client.post("/v1/tasks", json=fields, headers=U)
    assert_problem(response, 422, "validation_error")


async def test_control_characters_at_the_ends_of_a_title_are_trimmed(create_task: Any) -> None:
    task = await create_task("u-1", title="\n\t Feed \r\n")
    assert task["title"] == "Feed"


async def test_thousands_of_unknown_fields_give_a_small_answer(
    client: httpx.AsyncClient, assert_problem: Any
) -> None:
    body = {"title": "t", **{f"f{i}": 0 for i in range(5400)}}
    response = await client.post("/v1/tasks", json=body, headers=U)
    problem = assert_problem(response, 422, "validation_error")
    assert len(problem["errors"]) == 20
    assert len(response.content) < 8_000
    assert "more errors" in problem["detail"]


@pytest.mark.parametrize("app", ["fast", "framework"], indirect=True)
@pytest.mark.parametrize("suffix", ["%0A", "%0a", "%20", "%00", "x", "%2F", "%2Fcompletions"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_ids_one_character_off(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any, suffix: str, method: str
) -> None:
    task = await create_task("u-1")
    url = f"/v1/tasks/{task['id']}{suffix}"
    response = await client.request(method, url, headers=U, json={} if method == "PATCH" else None)
    assert_problem(response, 404, "task_not_found")


@pytest.mark.parametrize(
    "path", ["/v1/tasks/a%2Fb", "/v1/tasks/a%2fb", "/v1/tasks/%2F", "/v1/tasks/a%2Fb/c"]
)
async def test_encoded_slash_in_an_id(
    client: httpx.AsyncClient, assert_problem: Any, path: str
) -> None:
    assert_problem(await client.get(path, headers=U), 404, "task_not_found")
