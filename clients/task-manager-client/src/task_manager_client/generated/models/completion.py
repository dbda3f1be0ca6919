from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Completion")


@_attrs_define
class Completion:
    """One completion: a completed occurrence of a recurring task, or a one-off task's.

    Attributes:
        completed_at (datetime.datetime):
        due_date (datetime.datetime | None): The completed occurrence's due date (a one-off task's current due date).
        id (UUID):
        next_due_date (datetime.datetime | None): Where the completion moved the task; null for a one-off task or at the
            end of a series.
        on_time (bool | None): `completed_at` ≤ `due_date`; null without one.
        streak (int | None): The task's streak after this completion.
        task_id (UUID):
    """

    completed_at: datetime.datetime
    due_date: datetime.datetime | None
    id: UUID
    next_due_date: datetime.datetime | None
    on_time: bool | None
    streak: int | None
    task_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        completed_at = self.completed_at.isoformat()

        due_date: None | str
        if isinstance(self.due_date, datetime.datetime):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        id = str(self.id)

        next_due_date: None | str
        if isinstance(self.next_due_date, datetime.datetime):
            next_due_date = self.next_due_date.isoformat()
        else:
            next_due_date = self.next_due_date

        on_time: bool | None
        on_time = self.on_time

        streak: int | None
        streak = self.streak

        task_id = str(self.task_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completed_at": completed_at,
                "due_date": due_date,
                "id": id,
                "next_due_date": next_due_date,
                "on_time": on_time,
                "streak": streak,
                "task_id": task_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        completed_at = datetime.datetime.fromisoformat(d.pop("completed_at"))

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

        def _parse_next_due_date(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_due_date_type_0 = datetime.datetime.fromisoformat(data)

                return next_due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_due_date = _parse_next_due_date(d.pop("next_due_date"))

        def _parse_on_time(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        on_time = _parse_on_time(d.pop("on_time"))

        def _parse_streak(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        streak = _parse_streak(d.pop("streak"))

        task_id = UUID(d.pop("task_id"))

        completion = cls(
            completed_at=completed_at,
            due_date=due_date,
            id=id,
            next_due_date=next_due_date,
            on_time=on_time,
            streak=streak,
            task_id=task_id,
        )

        completion.additional_properties = d
        return completion

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
