"""The listing's query parameters, validated and normalised into :class:`ListFilters`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from task_manager.tasks import fields
from task_manager.tasks.schemas import (
    TAGS_MAX,
    ListFilters,
    Priority,
    SortKey,
    Status,
    Timestamp,
    normalise_tag,
)

TagParam = Annotated[str, AfterValidator(normalise_tag)]
SearchText = Annotated[str, AfterValidator(fields.search_text)]


# async: FastAPI runs a plain ``def`` dependency in a thread pool (two thread switches per request).
async def list_filters(
    status: Annotated[
        list[Status] | None,
        Query(max_length=3, description="Repeatable: tasks with any of these statuses."),
    ] = None,
    priority: Annotated[
        list[Priority] | None,
        Query(max_length=4, description="Repeatable: tasks with any of these priorities."),
    ] = None,
    tag: Annotated[
        list[TagParam] | None,
        Query(
            max_length=TAGS_MAX,
            description="Repeatable: tasks that carry all these tags (compared trimmed and "
            "lower-cased).",
        ),
    ] = None,
    due_before: Annotated[
        Timestamp | None,
        Query(
            description="`due_date` < this (RFC 3339 with offset; excludes tasks "
            "without a due date)."
        ),
    ] = None,
    due_after: Annotated[
        Timestamp | None,
        Query(
            description="`due_date` ≥ this (RFC 3339 with offset; excludes tasks "
            "without a due date)."
        ),
    ] = None,
    overdue: Annotated[
        bool | None,
        Query(description="`true`: not completed and `due_date` < now; `false`: the rest."),
    ] = None,
    q: Annotated[
        SearchText | None,
        Query(
            min_length=1,
            max_length=200,
            description="Case-insensitive substring of the title or the description.",
        ),
    ] = None,
    updated_since: Annotated[
        Timestamp | None, Query(description="`updated_at` ≥ this (RFC 3339 with offset).")
    ] = None,
    recurring: Annotated[
        bool | None,
        Query(description="`true`: tasks with a `recurrence`; `false`: the rest."),
    ] = None,
    sort: Annotated[
        SortKey,
        Query(
            description="Sort key, `-` for descending; ties broken by id; tasks without a due "
            "date come last either way. `priority`: low < medium < high < urgent."
        ),
    ] = "-created_at",
) -> ListFilters:
    return ListFilters(
        statuses=tuple(dict.fromkeys(status or ())),
        priorities=tuple(dict.fromkeys(priority or ())),
        tags=tuple(dict.fromkeys(tag or ())),
        due_before=due_before,
        due_after=due_after,
        overdue=overdue,
        q=q,
        updated_since=updated_since,
        sort=sort,
        recurring=recurring,
    )
