from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recurrence_anchor import RecurrenceAnchor

T = TypeVar("T", bound="Recurrence")


@_attrs_define
class Recurrence:
    """A task's recurrence as the API answers it.

    Attributes:
        anchor (RecurrenceAnchor):
        rule (str): The rule, normalised.
        starts_at (datetime.datetime): Read-only: the series start (DTSTART), always its first occurrence: the due date
            when `recurrence` or `due_date` was last set by a request.
        tz (str):
    """

    anchor: RecurrenceAnchor
    rule: str
    starts_at: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        anchor = self.anchor.value

        rule = self.rule

        starts_at = self.starts_at.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "anchor": anchor,
                "rule": rule,
                "starts_at": starts_at,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        anchor = RecurrenceAnchor(d.pop("anchor"))

        rule = d.pop("rule")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))

        tz = d.pop("tz")

        recurrence = cls(
            anchor=anchor,
            rule=rule,
            starts_at=starts_at,
            tz=tz,
        )

        recurrence.additional_properties = d
        return recurrence

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
