from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.changes import Changes
    from ..models.event_completion import EventCompletion
    from ..models.task import Task


T = TypeVar("T", bound="EventData")


@_attrs_define
class EventData:
    """
    Attributes:
        changes (Changes): Every field whose value changed (`version` and `updated_at` excepted); `{}` for created and
            deleted.
        task (Task): A task as the API answers it. Datetimes are UTC with ``Z``.
        completion (EventCompletion | None | Unset): On task.completed and task.reopened only.
    """

    changes: Changes
    task: Task
    completion: EventCompletion | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_completion import EventCompletion  # noqa: PLC0415

        changes = self.changes.to_dict()

        task = self.task.to_dict()

        completion: dict[str, Any] | None | Unset
        if isinstance(self.completion, Unset):
            completion = UNSET
        elif isinstance(self.completion, EventCompletion):
            completion = self.completion.to_dict()
        else:
            completion = self.completion

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changes": changes,
                "task": task,
            }
        )
        if completion is not UNSET:
            field_dict["completion"] = completion

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.changes import Changes  # noqa: PLC0415
        from ..models.event_completion import EventCompletion  # noqa: PLC0415
        from ..models.task import Task  # noqa: PLC0415

        d = dict(src_dict)
        changes = Changes.from_dict(d.pop("changes"))

        task = Task.from_dict(d.pop("task"))

        def _parse_completion(data: object) -> EventCompletion | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                completion_type_0 = EventCompletion.from_dict(data)

                return completion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventCompletion | None | Unset, data)

        completion = _parse_completion(d.pop("completion", UNSET))

        event_data = cls(
            changes=changes,
            task=task,
            completion=completion,
        )

        event_data.additional_properties = d
        return event_data

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
