from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.priority_stats import PriorityStats


T = TypeVar("T", bound="ByPriority")


@_attrs_define
class ByPriority:
    """
    Attributes:
        high (PriorityStats):
        low (PriorityStats):
        medium (PriorityStats):
        urgent (PriorityStats):
    """

    high: PriorityStats
    low: PriorityStats
    medium: PriorityStats
    urgent: PriorityStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        high = self.high.to_dict()

        low = self.low.to_dict()

        medium = self.medium.to_dict()

        urgent = self.urgent.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "high": high,
                "low": low,
                "medium": medium,
                "urgent": urgent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.priority_stats import PriorityStats  # noqa: PLC0415

        d = dict(src_dict)
        high = PriorityStats.from_dict(d.pop("high"))

        low = PriorityStats.from_dict(d.pop("low"))

        medium = PriorityStats.from_dict(d.pop("medium"))

        urgent = PriorityStats.from_dict(d.pop("urgent"))

        by_priority = cls(
            high=high,
            low=low,
            medium=medium,
            urgent=urgent,
        )

        by_priority.additional_properties = d
        return by_priority

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
