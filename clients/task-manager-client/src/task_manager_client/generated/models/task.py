from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_priority import TaskPriority
from ..models.task_status import TaskStatus

T = TypeVar("T", bound="Task")


@_attrs_define
class Task:
    """A task as the API answers it. Datetimes are UTC with ``Z``.

    Attributes:
        completed_at (datetime.datetime | None):
        created_at (datetime.datetime):
        description (None | str):
        due_date (datetime.datetime | None):
        id (UUID):
        priority (TaskPriority):
        status (TaskStatus):
        tags (list[str]):
        title (str):
        updated_at (datetime.datetime):
        user_id (str):
        version (int): Starts at 1, +1 on every change; ETag `"<version>"`.
    """

    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    description: None | str
    due_date: datetime.datetime | None
    id: UUID
    priority: TaskPriority
    status: TaskStatus
    tags: list[str]
    title: str
    updated_at: datetime.datetime
    user_id: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        due_date: None | str
        if isinstance(self.due_date, datetime.datetime):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        id = str(self.id)

        priority = self.priority.value

        status = self.status.value

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
                "created_at": created_at,
                "description": description,
                "due_date": due_date,
                "id": id,
                "priority": priority,
                "status": status,
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

        priority = TaskPriority(d.pop("priority"))

        status = TaskStatus(d.pop("status"))

        tags = cast(list[str], d.pop("tags"))

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        user_id = d.pop("user_id")

        version = d.pop("version")

        task = cls(
            completed_at=completed_at,
            created_at=created_at,
            description=description,
            due_date=due_date,
            id=id,
            priority=priority,
            status=status,
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
