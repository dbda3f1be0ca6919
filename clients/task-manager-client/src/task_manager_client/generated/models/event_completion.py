from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EventCompletion")


@_attrs_define
class EventCompletion:
    """
    Attributes:
        completed_at (datetime.datetime | None):
        due_date (datetime.datetime | None):
        id (None | str): The completion's id (null for a one-off task's).
        next_due_date (datetime.datetime | None): Recurring tasks: the next occurrence.
        on_time (bool | None):
        streak (int | None):
    """

    completed_at: datetime.datetime | None
    due_date: datetime.datetime | None
    id: None | str
    next_due_date: datetime.datetime | None
    on_time: bool | None
    streak: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        due_date: None | str
        if isinstance(self.due_date, datetime.datetime):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        id: None | str
        id = self.id

        next_due_date: None | str
        if isinstance(self.next_due_date, datetime.datetime):
            next_due_date = self.next_due_date.isoformat()
        else:
            next_due_date = self.next_due_date

        on_time: bool | None
        on_time = self.on_time

        streak: int | None
        streak = self.streak

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

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))

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

        event_completion = cls(
            completed_at=completed_at,
            due_date=due_date,
            id=id,
            next_due_date=next_due_date,
            on_time=on_time,
            streak=streak,
        )

        event_completion.additional_properties = d
        return event_completion

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
