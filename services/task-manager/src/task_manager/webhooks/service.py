"""The rules of the webhooks routes: registration (URL and SSRF checks, the 50-endpoint
limit), secrets and rotation, the delivery log, replay."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import orjson

from platform_db import Connection, uuid7
from platform_service.cursors import MalformedCursorError, seal, unseal
from task_manager.errors import InvalidCursorError, ValidationFailedError, WebhookNotFoundError
from task_manager.events import repository as events_repository
from task_manager.events import service as events_service
from task_manager.webhooks import repository, signing
from task_manager.webhooks.schemas import (
    Delivery,
    DeliveryPage,
    Webhook,
    WebhookCreate,
    WebhookPatch,
    WebhookWithSecret,
)
from task_manager.webhooks.targets import TargetError, check_registration

MAX_ENDPOINTS = 50
ROTATION_OVERLAP = timedelta(hours=24)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def parse_id(raw: str) -> UUID:
    if not _UUID.match(raw):
        raise _not_found(raw[:64])
    return UUID(raw)


def _not_found(endpoint_id: object) -> WebhookNotFoundError:
    return WebhookNotFoundError(f"No webhook endpoint {endpoint_id}.")


def _invalid(loc: list[str], message: str) -> ValidationFailedError:
    return ValidationFailedError(
        f"Invalid input: {loc[-1]}.",
        errors=[{"loc": loc, "message": message, "type": "value_error"}],
    )


async def check_url(url: str, *, allow_http: bool, allow_private: bool) -> None:
    try:
        await check_registration(url, allow_http=allow_http, allow_private=allow_private)
    except TargetError as exc:
        raise _invalid(["body", "url"], f"url {exc}") from None


def _webhook(row: Any) -> Webhook:
    return Webhook.model_validate(dict(row))


async def create(conn: Connection, data: WebhookCreate, now: datetime) -> WebhookWithSecret:
    secret = signing.new_secret()
    endpoint = repository.NewEndpoint(
        id=uuid7(),
        url=data.url,
        event_types=list(data.event_types),
        description=data.description,
        enabled=data.enabled,
        secret=secret,
        now=now,
    )
    await events_service.stamp_all_committed(conn)  # earlier events are not the new endpoint's
    if not await repository.insert_endpoint(conn, endpoint, limit=MAX_ENDPOINTS):
        raise _invalid(["body"], f"at most {MAX_ENDPOINTS} webhook endpoints; delete one first")
    row = await repository.get_endpoint(conn, endpoint.id)
    return WebhookWithSecret.model_validate({**dict(row or {}), "secret": secret})


async def get(conn: Connection, raw_id: str) -> Webhook:
    endpoint_id = parse_id(raw_id)
    row = await repository.get_endpoint(conn, endpoint_id)
    if row is None:
        raise _not_found(endpoint_id)
    return _webhook(row)


async def list_all(conn: Connection) -> list[Webhook]:
    return [_webhook(row) for row in await repository.list_endpoints(conn)]


async def patch(conn: Connection, raw_id: str, data: WebhookPatch, now: datetime) -> Webhook:
    endpoint_id = parse_id(raw_id)
    changes = {name: getattr(data, name) for name in data.model_fields_set}
    if "enabled" in changes or "event_types" in changes:
        # Earlier events go to the endpoints that matched them, not to the patched ones.
        await events_service.stamp_all_committed(conn)
    row = await repository.update_endpoint(conn, endpoint_id, changes, now)
    if row is None:
        raise _not_found(endpoint_id)
    return _webhook(row)


async def delete(conn: Connection, raw_id: str) -> None:
    endpoint_id = parse_id(raw_id)
    if not await repository.delete_endpoint(conn, endpoint_id):
        raise _not_found(endpoint_id)


async def rotate(conn: Connection, raw_id: str, now: datetime) -> str:
    endpoint_id = parse_id(raw_id)
    secret = signing.new_secret()
    if not await repository.rotate_secret(conn, endpoint_id, secret, now, now + ROTATION_OVERLAP):
        raise _not_found(endpoint_id)
    return secret


# --- The delivery log ----------------------------------------------------------------------
_CONTEXT = b"task-manager/deliveries-cursor/v1\x00"
_MAX_CURSOR_CHARS = 256


def _encode(endpoint_id: UUID, status: str | None, last_id: int) -> str:
    return seal(_CONTEXT, {"e": str(endpoint_id), "s": status, "i": last_id})


def _decode(text: str, endpoint_id: UUID, status: str | None) -> int:
    try:
        data = unseal(_CONTEXT, text, max_chars=_MAX_CURSOR_CHARS)
        if data.get("e") != str(endpoint_id) or data.get("s", "") != status:
            raise MalformedCursorError("another query")
        last = data.get("i")
        if not isinstance(last, int) or isinstance(last, bool):
            raise MalformedCursorError("id")
        return last
    except MalformedCursorError:
        raise InvalidCursorError(
            "The cursor is malformed, or was issued for another endpoint or filter."
        ) from None


async def deliveries(
    conn: Connection, raw_id: str, *, status: str | None, cursor: str | None, limit: int
) -> DeliveryPage:
    endpoint_id = parse_id(raw_id)
    if await repository.get_endpoint(conn, endpoint_id) is None:
        raise _not_found(endpoint_id)
    before = None if cursor is None else _decode(cursor, endpoint_id, status)
    await events_service.stamp_committed(conn)  # the log shows every committed event's delivery
    rows = await repository.list_deliveries(
        conn, endpoint_id, status=status, before_id=before, limit=limit + 1
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode(endpoint_id, status, rows[-1]["id"])
    items = [
        Delivery.model_validate({**dict(r), "attempts": orjson.loads(r["attempts"])}) for r in rows
    ]
    return DeliveryPage(items=items, next_cursor=next_cursor)


async def replay(
    conn: Connection,
    raw_id: str,
    *,
    after: str | None,
    event_ids: list[UUID] | None,
    now: datetime,
) -> int:
    endpoint_id = parse_id(raw_id)
    if await repository.get_endpoint(conn, endpoint_id) is None:
        raise _not_found(endpoint_id)
    if after is not None:
        position = events_service.parse_cursor(after, None)
        if position < (await events_repository.feed_state(conn)).purged_through:
            events_service.raise_expired()
        queued = await repository.replay_after(conn, endpoint_id, position, now)
    else:
        queued = await repository.replay_ids(conn, endpoint_id, event_ids or [], now)
    if queued:
        await conn.execute("SELECT pg_notify($1, '')", events_repository.WAKE_CHANNEL)
    return queued
