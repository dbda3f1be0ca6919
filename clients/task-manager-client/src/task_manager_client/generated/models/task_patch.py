from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_patch_priority import TaskPatchPriority
from ..models.task_patch_status import TaskPatchStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recurrence_in import RecurrenceIn


T = TypeVar("T", bound="TaskPatch")


@_attrs_define
class TaskPatch:
    """A JSON merge patch: the fields present are set; ``null`` clears ``description`` or
    ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.

        Attributes:
            description (None | str | Unset):
            due_date (datetime.datetime | None | Unset): RFC 3339 date-time with an offset; answered in UTC.
            priority (TaskPatchPriority | Unset):
            recurrence (None | RecurrenceIn | Unset): Replaced as a whole; `null` makes the task a one-off task (its
                completions stay on record). Setting it (or `due_date`) restarts the series at the due date.
            status (TaskPatchStatus | Unset):
            tags (list[str] | Unset): At most 20 distinct tags of 1-50 characters; trimmed, lower-cased, order kept,
                duplicates dropped.
            title (str | Unset): Trimmed; 1-200 characters after trimming.
    """

    description: None | str | Unset = UNSET
    due_date: datetime.datetime | None | Unset = UNSET
    priority: TaskPatchPriority | Unset = UNSET
    recurrence: None | RecurrenceIn | Unset = UNSET
    status: TaskPatchStatus | Unset = UNSET
    tags: list[str] | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.recurrence_in import RecurrenceIn  # noqa: PLC0415

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        due_date: None | str | Unset
        if isinstance(self.due_date, Unset):
            due_date = UNSET
        elif isinstance(self.due_date, datetime.datetime):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        recurrence: dict[str, Any] | None | Unset
        if isinstance(self.recurrence, Unset):
            recurrence = UNSET
        elif isinstance(self.recurrence, RecurrenceIn):
            recurrence = self.recurrence.to_dict()
        else:
            recurrence = self.recurrence

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if due_date is not UNSET:
            field_dict["due_date"] = due_date
        if priority is not UNSET:
            field_dict["priority"] = priority
        if recurrence is not UNSET:
            field_dict["recurrence"] = recurrence
        if status is not UNSET:
            field_dict["status"] = status
        if tags is not UNSET:
            field_dict["tags"] = tags
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recurrence_in import RecurrenceIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_due_date(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.datetime.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_date = _parse_due_date(d.pop("due_date", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: TaskPatchPriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = TaskPatchPriority(_priority)

        def _parse_recurrence(data: object) -> None | RecurrenceIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recurrence_type_0 = RecurrenceIn.from_dict(data)

                return recurrence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RecurrenceIn | Unset, data)

        recurrence = _parse_recurrence(d.pop("recurrence", UNSET))

        _status = d.pop("status", UNSET)
        status: TaskPatchStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = TaskPatchStatus(_status)

        tags = cast(list[str], d.pop("tags", UNSET))

        title = d.pop("title", UNSET)

        task_patch = cls(
            description=description,
            due_date=due_date,
            priority=priority,
            recurrence=recurrence,
            status=status,
            tags=tags,
            title=title,
        )

        return task_patch
