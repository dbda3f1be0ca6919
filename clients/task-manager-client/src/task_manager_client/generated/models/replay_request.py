from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplayRequest")


@_attrs_define
class ReplayRequest:
    """
    Attributes:
        after (None | str | Unset): A cursor of the unscoped feed.
        event_ids (list[UUID] | None | Unset):
    """

    after: None | str | Unset = UNSET
    event_ids: list[UUID] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        after: None | str | Unset
        if isinstance(self.after, Unset):
            after = UNSET
        else:
            after = self.after

        event_ids: list[str] | None | Unset
        if isinstance(self.event_ids, Unset):
            event_ids = UNSET
        elif isinstance(self.event_ids, list):
            event_ids = []
            for event_ids_type_0_item_data in self.event_ids:
                event_ids_type_0_item = str(event_ids_type_0_item_data)
                event_ids.append(event_ids_type_0_item)

        else:
            event_ids = self.event_ids

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if after is not UNSET:
            field_dict["after"] = after
        if event_ids is not UNSET:
            field_dict["event_ids"] = event_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_after(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        after = _parse_after(d.pop("after", UNSET))

        def _parse_event_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                event_ids_type_0 = []
                _event_ids_type_0 = data
                for event_ids_type_0_item_data in _event_ids_type_0:
                    event_ids_type_0_item = UUID(event_ids_type_0_item_data)

                    event_ids_type_0.append(event_ids_type_0_item)

                return event_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        event_ids = _parse_event_ids(d.pop("event_ids", UNSET))

        replay_request = cls(
            after=after,
            event_ids=event_ids,
        )

        return replay_request
