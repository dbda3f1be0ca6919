"""Cursors outlive deploys: a client holding a cursor from the previous release keeps
paging. These were issued by the release before the cursors moved into the kit
(platform_service.cursors); they must still decode to what they were issued for."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from task_manager.errors import InvalidCursorError
from task_manager.events import cursor as feed_cursor
from task_manager.tasks import cursor as tasks_cursor
from task_manager.webhooks import service as webhooks

ID = UUID("01a22a20-cc84-71f7-8dbc-f15121f76973")
FEED_U42_17 = "eyJ2IjoxLCJzIjoiRnV4U1czUzNWaWJyay15dCIsInAiOjE3fQ.RD89VtSKciBRI1JW7u7VVA"
FEED_ALL_5 = "eyJ2IjoxLCJzIjoiY2F3UjVJSWd1ZHhLY2JzcyIsInAiOjV9.vVgQIam19pcfUADGpiNweA"
TASKS = (
    "eyJ2IjoxLCJ1IjoiUFAwQ1JnUnR4SnlCNy1ReWg5bzFFQSIsInEiOiJuM3hodlpZOUVVU2hjMXZFRDNsaFhBIiwia"
    "yI6MTc2NDIzNDAwMDAwMDAwMCwiaSI6IjAxYTIyYTIwLWNjODQtNzFmNy04ZGJjLWYxNTEyMWY3Njk3MyJ9.l3Q6f6"
    "Bu65IUJEYqhPNLrA"
)
DELIVERIES = (
    "eyJlIjoiMDFhMjJhMjAtY2M4NC03MWY3LThkYmMtZjE1MTIxZjc2OTczIiwicyI6InBlbmRpbmciLCJpIjo0Mn0."
    "pqvwjSPkm3Jg_Hkv-yaDeQ"
)


class Query:
    def fingerprint(self) -> Any:
        return {"sort": "-created_at", "status": ["pending"]}


def test_feed_cursors() -> None:
    assert feed_cursor.decode(FEED_U42_17, "u-42") == 17
    assert feed_cursor.decode(FEED_ALL_5, None) == 5
    assert feed_cursor.encode("u-42", 17) == FEED_U42_17
    with pytest.raises(InvalidCursorError):
        feed_cursor.decode(FEED_U42_17, "u-43")


def test_tasks_cursor() -> None:
    position = tasks_cursor.decode(TASKS, "u-42", Query())
    assert position == tasks_cursor.Position(key=1764234000000000, id=ID)
    assert tasks_cursor.encode("u-42", Query(), position) == TASKS


def test_deliveries_cursor() -> None:
    assert webhooks._decode(DELIVERIES, ID, "pending") == 42
    with pytest.raises(InvalidCursorError):
        webhooks._decode(DELIVERIES, ID, None)
