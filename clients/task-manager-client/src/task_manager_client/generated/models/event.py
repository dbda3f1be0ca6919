from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type import EventType

if TYPE_CHECKING:
    from ..models.event_data import EventData


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """
    Attributes:
        data (EventData):
        id (str): The event's id; also the `webhook-id` of its deliveries.
        occurred_at (datetime.datetime):
        task_id (str):
        task_version (int): The task's version after the change (task.deleted: last version + 1).
        type_ (EventType):
        user_id (str):
    """

    data: EventData
    id: str
    occurred_at: datetime.datetime
    task_id: str
    task_version: int
    type_: EventType
    user_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        task_id = self.task_id

        task_version = self.task_version

        type_ = self.type_.value

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "id": id,
                "occurred_at": occurred_at,
                "task_id": task_id,
                "task_version": task_version,
                "type": type_,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData  # noqa: PLC0415

        d = dict(src_dict)
        data = EventData.from_dict(d.pop("data"))

        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        task_id = d.pop("task_id")

        task_version = d.pop("task_version")

        type_ = EventType(d.pop("type"))

        user_id = d.pop("user_id")

        event = cls(
            data=data,
            id=id,
            occurred_at=occurred_at,
            task_id=task_id,
            task_version=task_version,
            type_=type_,
            user_id=user_id,
        )

        event.additional_properties = d
        return event

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
