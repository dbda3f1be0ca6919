from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_priority import TaskPriority
from ..models.task_status import TaskStatus

if TYPE_CHECKING:
    from ..models.recurrence import Recurrence


T = TypeVar("T", bound="Task")


@_attrs_define
class Task:
    """A task as the API answers it. Datetimes are UTC with ``Z``.

    Attributes:
        completed_at (datetime.datetime | None):
        completion_count (int): Read-only: the task's completions on record (0 or 1 for a one-off task).
        created_at (datetime.datetime):
        description (None | str):
        due_date (datetime.datetime | None):
        id (UUID):
        longest_streak (int | None): Read-only, recurring tasks only: the longest `streak` so far.
        priority (TaskPriority):
        recurrence (None | Recurrence): null: a one-off task.
        status (TaskStatus):
        streak (int | None): Read-only, recurring tasks only: consecutive completions each made before the occurrence
            after the completed one fell due; 0 once the current occurrence's successor has fallen due without a completion.
        tags (list[str]):
        title (str):
        updated_at (datetime.datetime):
        user_id (str):
        version (int): Starts at 1, +1 on every change; ETag `"<version>"`.
    """

    completed_at: datetime.datetime | None
    completion_count: int
    created_at: datetime.datetime
    description: None | str
    due_date: datetime.datetime | None
    id: UUID
    longest_streak: int | None
    priority: TaskPriority
    recurrence: None | Recurrence
    status: TaskStatus
    streak: int | None
    tags: list[str]
    title: str
    updated_at: datetime.datetime
    user_id: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.recurrence import Recurrence  # noqa: PLC0415

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        completion_count = self.completion_count

        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        due_date: None | str
        if isinstance(self.due_date, datetime.datetime):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        id = str(self.id)

        longest_streak: int | None
        longest_streak = self.longest_streak

        priority = self.priority.value

        recurrence: dict[str, Any] | None
        if isinstance(self.recurrence, Recurrence):
            recurrence = self.recurrence.to_dict()
        else:
            recurrence = self.recurrence

        status = self.status.value

        streak: int | None
        streak = self.streak

        tags = self.tags

        title = self.title

        updated_at = self.updated_at.isoformat()

        user_id = self.user_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completed_at": completed_at,
                "completion_count": completion_count,
                "created_at": created_at,
                "description": description,
                "due_date": due_date,
                "id": id,
                "longest_streak": longest_streak,
                "priority": priority,
                "recurrence": recurrence,
                "status": status,
                "streak": streak,
                "tags": tags,
                "title": title,
                "updated_at": updated_at,
                "user_id": user_id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recurrence import Recurrence  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        completion_count = d.pop("completion_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_due_date(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.datetime.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_date = _parse_due_date(d.pop("due_date"))

        id = UUID(d.pop("id"))

        def _parse_longest_streak(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        longest_streak = _parse_longest_streak(d.pop("longest_streak"))

        priority = TaskPriority(d.pop("priority"))

        def _parse_recurrence(data: object) -> None | Recurrence:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recurrence_type_0 = Recurrence.from_dict(data)

                return recurrence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recurrence, data)

        recurrence = _parse_recurrence(d.pop("recurrence"))

        status = TaskStatus(d.pop("status"))

        def _parse_streak(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        streak = _parse_streak(d.pop("streak"))

        tags = cast(list[str], d.pop("tags"))

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        user_id = d.pop("user_id")

        version = d.pop("version")

        task = cls(
            completed_at=completed_at,
            completion_count=completion_count,
            created_at=created_at,
            description=description,
            due_date=due_date,
            id=id,
            longest_streak=longest_streak,
            priority=priority,
            recurrence=recurrence,
            status=status,
            streak=streak,
            tags=tags,
            title=title,
            updated_at=updated_at,
            user_id=user_id,
            version=version,
        )

        task.additional_properties = d
        return task

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
