"""GET /v1/tasks: every filter, every sort, limits, cursors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

U1 = {"X-User-ID": "u-1"}


async def walk(client: httpx.AsyncClient, params: dict[str, Any], user: str = "u-1") -> list[str]:
    """Titles of every page, in order."""
    titles: list[str] = []
    cursor = None
    for _ in range(100):
        query = dict(params)
        if cursor:
            query["cursor"] = cursor
        response = await client.get("/v1/tasks", params=query, headers={"X-User-ID": user})
        assert response.status_code == 200, response.text
        page = response.json()
        titles += [t["title"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return titles
    raise AssertionError("pagination did not end")


@pytest.fixture
async def seeded(client: httpx.AsyncClient, create_task: Any, clock: Any) -> None:
    """a..f, one minute apart; b and e get updated later."""
    specs = [
        ("a", {"priority": "low", "due_date": "2026-12-03T00:00:00Z", "tags": ["home"]}),
        ("b", {"priority": "urgent", "tags": ["home", "cats"], "description": "Feed 100%"}),
        ("c", {"priority": "high", "due_date": "2026-11-20T00:00:00Z", "status": "completed"}),
        ("d", {"priority": "medium", "due_date": "2026-11-26T00:00:00+01:00"}),
        ("e", {"priority": "urgent", "due_date": "2026-12-01T00:00:00Z", "tags": ["cats"]}),
        ("f", {"priority": "low", "status": "in_progress", "description": "under_score"}),
    ]
    ids = {}
    for title, fields in specs:
        ids[title] = (await create_task("u-1", title=title, **fields))["id"]
        clock.advance(minutes=1)
    for title in ("e", "b"):
        clock.advance(minutes=1)
        r = await client.patch(f"/v1/tasks/{ids[title]}", json={"title": title + "!"}, headers=U1)
        assert r.status_code == 200
        r = await client.patch(f"/v1/tasks/{ids[title]}", json={"title": title}, headers=U1)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, "fedcba"),
        ("-created_at", "fedcba"),
        ("created_at", "abcdef"),
        ("updated_at", "acdfeb"),
        ("-updated_at", "befdca"),
        ("due_date", "cdeabf"),
        ("-due_date", "aedcbf"),
        ("priority", "afdcbe"),
        ("-priority", "ebcdfa"),
    ],
)
async def test_sorts_walked_page_by_page(
    client: httpx.AsyncClient, sort: str | None, expected: str
) -> None:
    for limit in (1, 2, 50):
        await check_sort(client, sort, expected, limit)


async def check_sort(
    client: httpx.AsyncClient, sort: str | None, expected: str, limit: int
) -> None:
    params: dict[str, Any] = {"limit": limit}
    if sort:
        params["sort"] = sort
    titles = await walk(client, params)
    if sort and sort.lstrip("-") == "priority":
        # equal priorities tie-break by id: compare the groups, then the order of ranks
        assert sorted(titles) == sorted(expected)
        ranks = {"a": 0, "f": 0, "d": 1, "c": 2, "b": 3, "e": 3}
        values = [ranks[t] for t in titles]
        assert values == sorted(values, reverse=sort.startswith("-"))
    elif sort and sort.lstrip("-") == "due_date":
        assert titles[:4] == list(expected[:4])
        assert sorted(titles[4:]) == ["b", "f"]  # no due date: last either way
    else:
        assert "".join(titles) == expected


FILTER_CASES: list[tuple[dict[str, Any], str]] = [
    ({"status": "pending"}, "edba"),
    ({"status": ["completed", "in_progress"]}, "fc"),
    ({"priority": "urgent"}, "eb"),
    ({"priority": ["low", "high"]}, "fca"),
    ({"tag": "home"}, "ba"),
    ({"tag": [" CATS", "home"]}, "b"),
    ({"tag": ["cats", "nope"]}, ""),
    ({"due_before": "2026-11-25T23:00:00Z"}, "c"),
    ({"due_before": "2026-11-26T00:00:00.000001+01:00"}, "dc"),
    ({"due_after": "2026-11-25T23:00:00Z"}, "eda"),
    ({"due_after": "2026-11-21T00:00:00Z", "due_before": "2026-12-02T00:00:00Z"}, "ed"),
    ({"overdue": "true"}, "d"),
    ({"overdue": "false"}, "fecba"),
    ({"q": "FEED"}, "b"),
    ({"q": "%"}, "b"),
    ({"q": "_"}, "f"),
    ({"q": "e"}, "feb"),
    ({"updated_since": "2026-11-27T10:07:00Z"}, "eb"),
    ({"updated_since": "2026-11-27T11:08:00+01:00"}, "b"),
    ({"status": "pending", "priority": "urgent", "tag": "cats", "q": "E"}, "eb"),
]


@pytest.mark.usefixtures("seeded")
async def test_filters(client: httpx.AsyncClient) -> None:
    for params, expected in FILTER_CASES:
        assert "".join(await walk(client, {**params, "limit": 2})) == expected, params


async def test_limit_default_and_bounds(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    for i in range(52):
        await create_task("u-1", title=f"t{i}")
    page = (await client.get("/v1/tasks", headers=U1)).json()
    assert len(page["items"]) == 50 and page["next_cursor"]
    assert len((await client.get("/v1/tasks?limit=200", headers=U1)).json()["items"]) == 52
    last = (await client.get("/v1/tasks?limit=52", headers=U1)).json()
    assert len(last["items"]) == 52 and last["next_cursor"] is None
    for bad in ("limit=0", "limit=201", "limit=x"):
        problem = assert_problem(
            await client.get(f"/v1/tasks?{bad}", headers=U1), 422, "validation_error"
        )
        assert problem["errors"][0]["loc"] == ["query", "limit"]


INVALID_QUERIES = [
    ("status=done", "status"),
    ("priority=critical", "priority"),
    ("sort=title", "sort"),
    ("sort=--created_at", "sort"),
    ("q=", "q"),
    ("q=" + "x" * 201, "q"),
    ("tag=", "tag"),
    ("tag=" + "x" * 51, "tag"),
    ("due_before=2026-11-27T10:00:00", "due_before"),
    ("due_after=yesterday", "due_after"),
    ("updated_since=2026-11-27", "updated_since"),
    ("overdue=maybe", "overdue"),
    ("cursor=", "cursor"),
]


async def test_invalid_query_parameters(client: httpx.AsyncClient, assert_problem: Any) -> None:
    for query, name in INVALID_QUERIES:
        response = await client.get(f"/v1/tasks?{query}", headers=U1)
        problem = assert_problem(response, 422, "validation_error")
        assert problem["errors"][0]["loc"][:2] == ["query", name], query


async def test_cursor_is_bound_to_query_and_intact(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any, clock: Any
) -> None:
    for i in range(3):
        await create_task("u-1", title=f"t{i}", tags=["a"])
        clock.advance(seconds=1)
    first = (await client.get("/v1/tasks?limit=1&tag=a", headers=U1)).json()
    cursor = first["next_cursor"]
    # the same query (other spelling, other page size) accepts it
    same = await client.get(
        "/v1/tasks", params={"limit": 5, "tag": " A ", "cursor": cursor}, headers=U1
    )
    assert [t["title"] for t in same.json()["items"]] == ["t1", "t0"]
    tampered = [
        cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB"),
        "A" + cursor,
        cursor.replace(".", ""),
        "not-a-cursor",
        "e30.AAAAAAAAAAAAAAAAAAAAAA",
    ]
    for bad in tampered:
        response = await client.get(
            "/v1/tasks", params={"limit": 1, "tag": "a", "cursor": bad}, headers=U1
        )
        assert_problem(response, 400, "invalid_cursor")
    for other in ({"tag": "b"}, {"tag": "a", "sort": "created_at"}, {"tag": "a", "q": "t"}):
        response = await client.get("/v1/tasks", params={**other, "cursor": cursor}, headers=U1)
        assert_problem(response, 400, "invalid_cursor")
