"""``/v1/webhooks``: endpoints, secrets, the delivery log, replay. Any valid key manages them;
no ``X-User-ID``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from task_manager.clock import AppClock
from task_manager.dependencies import AppSettings, Connection, ReadConnection
from task_manager.problems import problem_responses
from task_manager.tasks.body import read_json, validate
from task_manager.tasks.docs import request_body
from task_manager.webhooks import service
from task_manager.webhooks.schemas import (
    DeliveryPage,
    DeliveryStatus,
    ReplayAnswer,
    ReplayRequest,
    SecretAnswer,
    Webhook,
    WebhookCreate,
    WebhookList,
    WebhookPatch,
    WebhookWithSecret,
)

router = APIRouter(tags=["webhooks"])
JSON = "application/json"
WebhookId = Annotated[str, Path(description="The endpoint's id (a UUID).")]


async def _create_body(request: Request, settings: AppSettings) -> WebhookCreate:
    data = validate(WebhookCreate, await read_json(request))
    await service.check_url(
        data.url,
        allow_http=settings.webhooks_allow_http,
        allow_private=settings.webhooks_allow_private_targets,
    )
    return data


async def _patch_body(request: Request, settings: AppSettings) -> WebhookPatch:
    data = validate(WebhookPatch, await read_json(request))
    if data.url is not None:
        await service.check_url(
            data.url,
            allow_http=settings.webhooks_allow_http,
            allow_private=settings.webhooks_allow_private_targets,
        )
    return data


async def _replay_body(request: Request) -> ReplayRequest:
    return validate(ReplayRequest, await read_json(request))


@router.post(
    "/webhooks",
    status_code=201,
    response_model=WebhookWithSecret,
    summary="Register a webhook endpoint",
    description="The answer includes the signing `secret`, shown only here and on rotation. "
    "At most 50 endpoints.",
    responses={
        201: {"headers": {"Location": {"schema": {"type": "string"}}}},
        **problem_responses(400, 415, 422),
    },
    openapi_extra=request_body(WebhookCreate, [JSON]),
)
async def create_webhook(
    data: Annotated[WebhookCreate, Depends(_create_body)], clock: AppClock, conn: Connection
) -> Response:
    created = await service.create(conn, data, clock.now())
    return Response(
        created.model_dump_json(),
        201,
        {"Location": f"/v1/webhooks/{created.id}"},
        media_type=JSON,
    )


@router.get("/webhooks", response_model=WebhookList, summary="List webhook endpoints")
async def list_webhooks(conn: ReadConnection) -> WebhookList:
    return WebhookList(items=await service.list_all(conn))


@router.get(
    "/webhooks/{webhook_id}",
    response_model=Webhook,
    summary="Get a webhook endpoint",
    responses=problem_responses(404),
)
async def get_webhook(webhook_id: WebhookId, conn: ReadConnection) -> Webhook:
    return await service.get(conn, webhook_id)


@router.patch(
    "/webhooks/{webhook_id}",
    response_model=Webhook,
    summary="Change a webhook endpoint (JSON merge patch)",
    description="Disabling marks its pending deliveries failed; re-enabling resends nothing "
    "(use replay).",
    responses=problem_responses(400, 404, 415, 422),
    openapi_extra=request_body(WebhookPatch, [JSON, "application/merge-patch+json"]),
)
async def patch_webhook(
    webhook_id: WebhookId,
    data: Annotated[WebhookPatch, Depends(_patch_body)],
    clock: AppClock,
    conn: Connection,
) -> Webhook:
    return await service.patch(conn, webhook_id, data, clock.now())


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a webhook endpoint",
    responses=problem_responses(404),
)
async def delete_webhook(webhook_id: WebhookId, conn: Connection) -> Response:
    await service.delete(conn, webhook_id)
    return Response(status_code=204)


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    response_model=SecretAnswer,
    summary="Rotate the signing secret",
    description="For 24 hours deliveries carry two signatures: with the old and the new secret.",
    responses=problem_responses(404),
)
async def rotate_secret(webhook_id: WebhookId, clock: AppClock, conn: Connection) -> SecretAnswer:
    return SecretAnswer(secret=await service.rotate(conn, webhook_id, clock.now()))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response_model=DeliveryPage,
    summary="The endpoint's delivery log",
    description="Newest first, keyset-paginated; each delivery with its attempts.",
    responses=problem_responses(400, 404, 422),
)
async def list_deliveries(
    webhook_id: WebhookId,
    conn: Connection,
    status: Annotated[DeliveryStatus | None, Query(description="Only this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size, 1-200.")] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=512)] = None,
) -> DeliveryPage:
    return await service.deliveries(conn, webhook_id, status=status, cursor=cursor, limit=limit)


@router.post(
    "/webhooks/{webhook_id}/replay",
    status_code=202,
    response_model=ReplayAnswer,
    summary="Deliver events again",
    description="By feed cursor (`after`, of the unscoped feed) or by `event_ids` (at most "
    "100): those events of the endpoint's types are queued again, with their original "
    "`webhook-id`.",
    responses=problem_responses(400, 404, 410, 415, 422),
    openapi_extra=request_body(ReplayRequest, [JSON]),
)
async def replay(
    webhook_id: WebhookId,
    data: Annotated[ReplayRequest, Depends(_replay_body)],
    clock: AppClock,
    conn: Connection,
) -> Response:
    queued = await service.replay(
        conn, webhook_id, after=data.after, event_ids=data.event_ids, now=clock.now()
    )
    return Response(ReplayAnswer(queued=queued).model_dump_json(), 202, media_type=JSON)
