"""A stateful property test: random sequences of creates, patches, deletes, reads and listings
(random filters, sorts and page sizes, walked to the end) for several users, through HTTP,
against an in-memory model of the contract. Any difference fails."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from task_manager.app import create_app
from task_manager.settings import Settings
from task_manager.tasks.fastpath import FastTaskRoutes

START = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)
USERS = ("a", "b")
RANK = {"low": 0, "medium": 1, "high": 2, "urgent": 3}
STATUSES = ("pending", "in_progress", "completed")
PRIORITIES = tuple(RANK)
SORTS = ("created_at", "updated_at", "due_date", "priority")
TEXT = "abAB %_\\"
TAGS = ("home", "Home ", "cats", "work", "x")

FILTERS = (
    "statuses",
    "priorities",
    "tags",
    "due_before",
    "due_after",
    "overdue",
    "q",
    "updated_since",
)

texts = st.text(alphabet=TEXT, min_size=1, max_size=6)
titles = texts.filter(lambda s: s.strip())
dues = st.none() | st.integers(-6, 6).map(lambda h: START + timedelta(hours=h))
tag_lists = st.lists(st.sampled_from(TAGS), max_size=4)


TASK_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "user": st.sampled_from(USERS),
    "title": titles,
    "description": st.none() | texts,
    "status": st.sampled_from(STATUSES),
    "priority": st.sampled_from(PRIORITIES),
    "due": dues,
    "tags": tag_lists,
    "key": st.booleans(),
}
task_specs = st.fixed_dictionaries(TASK_FIELDS)


class Clock:
    def __init__(self) -> None:
        self.current = START

    def now(self) -> datetime:
        return self.current


def z(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def wire_due(value: datetime | None) -> str | None:
    """Sent with a +02:00 offset: the server answers it in UTC."""
    return None if value is None else value.astimezone(timedelta_tz(2)).isoformat()


def timedelta_tz(hours: int) -> Any:
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def norm_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(t.strip().lower() for t in tags))


class TasksMachine(RuleBasedStateMachine):
    runner: asyncio.Runner
    client: httpx.AsyncClient
    clock: Clock
    tasks = Bundle("tasks")

    def __init__(self) -> None:
        super().__init__()
        self.prefix = uuid.uuid4().hex[:8]  # fresh users per example: no shared state
        self.model: dict[str, dict[str, dict[str, Any]]] = {u: {} for u in USERS}
        self.clock.current = START

    def run(self, coro: Coroutine[Any, Any, httpx.Response]) -> httpx.Response:
        return self.runner.run(coro)

    def headers(self, user: str) -> dict[str, str]:
        return {"X-User-ID": f"{self.prefix}-{user}"}

    @rule(seconds=st.sampled_from([0, 1, 1800]))
    def advance(self, seconds: int) -> None:
        self.clock.current += timedelta(seconds=seconds)

    @rule(target=tasks, **TASK_FIELDS)
    def create(self, **f: Any) -> tuple[str, str]:
        return self.create_one(f)

    @initialize(target=tasks, specs=st.lists(task_specs, min_size=2, max_size=8))
    def seed(self, specs: list[dict[str, Any]]) -> Any:
        """Start with a few tasks, so that listings have something to order and page."""
        return multiple(*(self.create_one(spec) for spec in specs))

    def create_one(self, f: dict[str, Any]) -> tuple[str, str]:
        user = f["user"]
        body = {k: f[k] for k in ("title", "description", "status", "priority", "tags")}
        body["due_date"] = wire_due(f["due"])
        headers = self.headers(user)
        if f["key"]:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        response = self.run(self.client.post("/v1/tasks", json=body, headers=headers))
        assert response.status_code == 201, response.text
        got = response.json()
        now = z(self.clock.current)
        expected = {
            "id": got["id"],
            "user_id": f"{self.prefix}-{user}",
            "title": f["title"].strip(),
            "description": f["description"],
            "status": f["status"],
            "priority": f["priority"],
            "due_date": z(f["due"]),
            "tags": norm_tags(f["tags"]),
            "created_at": now,
            "updated_at": now,
            "completed_at": now if f["status"] == "completed" else None,
            "version": 1,
            "recurrence": None,
            "completion_count": 1 if f["status"] == "completed" else 0,
            "streak": None,
            "longest_streak": None,
        }
        assert got == expected
        if f["key"]:
            again = self.run(self.client.post("/v1/tasks", json=body, headers=headers))
            assert (again.status_code, again.content) == (201, response.content)
        self.model[user][got["id"]] = expected
        return user, got["id"]

    @rule(
        ref=tasks,
        title=st.none() | titles,
        description=st.sampled_from(["keep", "null"]) | texts,
        status=st.none() | st.sampled_from(STATUSES),
        priority=st.none() | st.sampled_from(PRIORITIES),
        due=st.sampled_from(["keep"]) | dues,
        tags=st.none() | tag_lists,
        condition=st.sampled_from(["none", "current", "stale"]),
    )
    def patch(self, ref: tuple[str, str], **f: Any) -> None:
        user, task_id = ref
        body: dict[str, Any] = {}
        for name in ("title", "status", "priority", "tags"):
            if f[name] is not None:
                body[name] = f[name]
        if f["description"] != "keep":
            body["description"] = None if f["description"] == "null" else f["description"]
        if f["due"] != "keep":
            body["due_date"] = wire_due(f["due"])
        current = self.model[user].get(task_id)
        headers = self.headers(user)
        if f["condition"] != "none" and current is not None:
            version = current["version"] + (1 if f["condition"] == "stale" else 0)
            headers["If-Match"] = f'"{version}"'
        response = self.run(self.client.patch(f"/v1/tasks/{task_id}", json=body, headers=headers))
        if current is None:
            assert response.status_code == 404
            return
        if f["condition"] == "stale":
            assert response.status_code == 412
            return
        assert response.status_code == 200, response.text
        new = dict(current)
        new.update({k: v for k, v in body.items() if k != "due_date"})
        if "title" in body:
            new["title"] = body["title"].strip()
        if "tags" in body:
            new["tags"] = norm_tags(body["tags"])
        if "due_date" in body:
            new["due_date"] = z(f["due"])
        if new != current:
            now = z(self.clock.current)
            new["version"] += 1
            new["updated_at"] = now
            if new["status"] != "completed":
                new["completed_at"] = None
                new["completion_count"] = 0  # reopening removes the completion
            elif current["status"] != "completed":
                new["completed_at"] = now
                new["completion_count"] = 1
        assert response.json() == new
        assert response.headers["etag"] == f'"{new["version"]}"'
        self.model[user][task_id] = new

    @rule(ref=consumes(tasks))
    def delete(self, ref: tuple[str, str]) -> None:
        user, task_id = ref
        response = self.run(self.client.delete(f"/v1/tasks/{task_id}", headers=self.headers(user)))
        assert response.status_code == (204 if task_id in self.model[user] else 404)
        self.model[user].pop(task_id, None)

    @rule(ref=tasks, reader=st.sampled_from(USERS))
    def get(self, ref: tuple[str, str], reader: str) -> None:
        _owner, task_id = ref
        response = self.run(self.client.get(f"/v1/tasks/{task_id}", headers=self.headers(reader)))
        expected = self.model[reader].get(task_id)  # another user's task is unknown
        if expected is None:
            assert response.status_code == 404
        else:
            assert response.json() == expected

    @rule(
        user=st.sampled_from(USERS),
        statuses=st.lists(st.sampled_from(STATUSES), max_size=2),
        priorities=st.lists(st.sampled_from(PRIORITIES), max_size=2),
        tags=st.lists(st.sampled_from(TAGS), max_size=2),
        due_before=dues,
        due_after=dues,
        overdue=st.none() | st.booleans(),
        q=st.none() | st.text(alphabet=TEXT, min_size=1, max_size=2),
        updated_since=st.none() | st.integers(0, 7200).map(lambda s: START + timedelta(seconds=s)),
        sort=st.sampled_from(SORTS),
        descending=st.booleans(),
        limit=st.integers(1, 4),
        use=st.sets(st.sampled_from(FILTERS), max_size=2),
    )
    def list_all(self, user: str, use: set[str], **f: Any) -> None:
        for name in FILTERS:  # a few filters at a time, so that lists are rarely empty
            if name not in use:
                f[name] = [] if name in ("statuses", "priorities", "tags") else None
        params: dict[str, Any] = {"limit": f["limit"]}
        params["sort"] = ("-" if f["descending"] else "") + f["sort"]
        for name, key in (("statuses", "status"), ("priorities", "priority"), ("tags", "tag")):
            if f[name]:
                params[key] = f[name]
        for name in ("due_before", "due_after", "updated_since"):
            if f[name] is not None:
                params[name] = z(f[name])
        if f["overdue"] is not None:
            params["overdue"] = str(f["overdue"]).lower()
        if f["q"] is not None:
            params["q"] = f["q"]
        items: list[dict[str, Any]] = []
        cursor = None
        for _ in range(200):
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = self.run(
                self.client.get("/v1/tasks", params=query, headers=self.headers(user))
            )
            assert response.status_code == 200, response.text
            page = response.json()
            assert len(page["items"]) <= f["limit"]
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert items == self.expected_list(user, f)

    def expected_list(self, user: str, f: dict[str, Any]) -> list[dict[str, Any]]:
        now = self.clock.current

        def parse(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value)

        def keep(t: dict[str, Any]) -> bool:
            due = parse(t["due_date"])
            overdue = t["status"] != "completed" and due is not None and due < now
            text = (t["title"] + "\n" + (t["description"] or "")).lower()
            return (
                (not f["statuses"] or t["status"] in f["statuses"])
                and (not f["priorities"] or t["priority"] in f["priorities"])
                and all(tag.strip().lower() in t["tags"] for tag in f["tags"])
                and (f["due_before"] is None or (due is not None and due < f["due_before"]))
                and (f["due_after"] is None or (due is not None and due >= f["due_after"]))
                and (f["overdue"] is None or overdue == f["overdue"])
                and (f["q"] is None or any(f["q"].lower() in part for part in text.split("\n")))
                and (
                    f["updated_since"] is None or parse(t["updated_at"]) >= f["updated_since"]  # type: ignore[operator]
                )
            )

        def key(t: dict[str, Any]) -> tuple[Any, ...]:
            if f["sort"] == "priority":
                return (RANK[t["priority"]], t["id"])
            value = parse(t[f["sort"]])
            if value is None:  # no due date: last either way
                return (1 if not f["descending"] else 0, START, t["id"])
            return (0 if not f["descending"] else 1, value, t["id"])

        matching = [t for t in self.model[user].values() if keep(t)]
        return sorted(matching, key=key, reverse=f["descending"])

    @invariant()
    def users_are_disjoint(self) -> None:
        ids = [set(tasks) for tasks in self.model.values()]
        assert not ids[0] & ids[1]


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "framework"])
def test_tasks_behave_like_the_model(settings: Settings, api_key: str, fast_path: bool) -> None:
    clock = Clock()
    app = create_app(settings, clock=clock)
    if not fast_path:  # GET /v1/tasks/{id} by the FastAPI route only
        app.user_middleware = [m for m in app.user_middleware if m.cls is not FastTaskRoutes]
    with asyncio.Runner() as runner:
        lifespan = app.router.lifespan_context(app)
        runner.run(lifespan.__aenter__())
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers={"X-API-Key": api_key},
        )
        try:
            TasksMachine.runner, TasksMachine.client, TasksMachine.clock = runner, client, clock
            run_state_machine_as_test(
                TasksMachine,
                settings=hypothesis_settings(),
            )
        finally:
            runner.run(client.aclose())
            runner.run(lifespan.__aexit__(None, None, None))


def hypothesis_settings() -> settings:
    return settings(
        max_examples=25,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
