from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.by_priority import ByPriority
    from ..models.daily_completions import DailyCompletions


T = TypeVar("T", bound="StatsResponse")


@_attrs_define
class StatsResponse:
    """A player's figures, over the tasks that exist now, in the time zone `tz`.

    Attributes:
        by_priority (ByPriority):
        completed (int):
        completed_last_7_days (int): Completions made on today's local date or the 6 before it.
        completed_today (int): Completions made on today's local date.
        completion_rate (float): completed / total, 4 decimals; 0.0 when there is no task.
        completions_total (int): All completions on record (a one-off task has one while it is completed; a recurring
            task one per completed occurrence; deleted tasks' are gone).
        current_streak_days (int): Consecutive local dates with a completion, ending today (or yesterday when nothing
            was completed yet today); 0 otherwise.
        daily_completions (list[DailyCompletions]): Exactly `days` entries, oldest first, ending with today's local
            date.
        generated_at (datetime.datetime): When these figures were computed (UTC).
        in_progress (int):
        last_completed_at (datetime.datetime | None): The latest completion's `completed_at`; null when none.
        longest_streak_days (int): The longest run of consecutive local dates with a completion.
        on_time_rate (float | None): Among completions that had a due date, the share made at or before it, 4 decimals;
            null when there is none.
        overdue (int): Not completed and `due_date` < now.
        pending (int):
        total (int):
        tz (str): The IANA time zone of every local date below.
        user_id (str): The player (`X-User-ID`).
    """

    by_priority: ByPriority
    completed: int
    completed_last_7_days: int
    completed_today: int
    completion_rate: float
    completions_total: int
    current_streak_days: int
    daily_completions: list[DailyCompletions]
    generated_at: datetime.datetime
    in_progress: int
    last_completed_at: datetime.datetime | None
    longest_streak_days: int
    on_time_rate: float | None
    overdue: int
    pending: int
    total: int
    tz: str
    user_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_priority = self.by_priority.to_dict()

        completed = self.completed

        completed_last_7_days = self.completed_last_7_days

        completed_today = self.completed_today

        completion_rate = self.completion_rate

        completions_total = self.completions_total

        current_streak_days = self.current_streak_days

        daily_completions = []
        for daily_completions_item_data in self.daily_completions:
            daily_completions_item = daily_completions_item_data.to_dict()
            daily_completions.append(daily_completions_item)

        generated_at = self.generated_at.isoformat()

        in_progress = self.in_progress

        last_completed_at: None | str
        if isinstance(self.last_completed_at, datetime.datetime):
            last_completed_at = self.last_completed_at.isoformat()
        else:
            last_completed_at = self.last_completed_at

        longest_streak_days = self.longest_streak_days

        on_time_rate: float | None
        on_time_rate = self.on_time_rate

        overdue = self.overdue

        pending = self.pending

        total = self.total

        tz = self.tz

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_priority": by_priority,
                "completed": completed,
                "completed_last_7_days": completed_last_7_days,
                "completed_today": completed_today,
                "completion_rate": completion_rate,
                "completions_total": completions_total,
                "current_streak_days": current_streak_days,
                "daily_completions": daily_completions,
                "generated_at": generated_at,
                "in_progress": in_progress,
                "last_completed_at": last_completed_at,
                "longest_streak_days": longest_streak_days,
                "on_time_rate": on_time_rate,
                "overdue": overdue,
                "pending": pending,
                "total": total,
                "tz": tz,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.by_priority import ByPriority  # noqa: PLC0415
        from ..models.daily_completions import DailyCompletions  # noqa: PLC0415

        d = dict(src_dict)
        by_priority = ByPriority.from_dict(d.pop("by_priority"))

        completed = d.pop("completed")

        completed_last_7_days = d.pop("completed_last_7_days")

        completed_today = d.pop("completed_today")

        completion_rate = d.pop("completion_rate")

        completions_total = d.pop("completions_total")

        current_streak_days = d.pop("current_streak_days")

        daily_completions = []
        _daily_completions = d.pop("daily_completions")
        for daily_completions_item_data in _daily_completions:
            daily_completions_item = DailyCompletions.from_dict(daily_completions_item_data)

            daily_completions.append(daily_completions_item)

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        in_progress = d.pop("in_progress")

        def _parse_last_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_completed_at = _parse_last_completed_at(d.pop("last_completed_at"))

        longest_streak_days = d.pop("longest_streak_days")

        def _parse_on_time_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        on_time_rate = _parse_on_time_rate(d.pop("on_time_rate"))

        overdue = d.pop("overdue")

        pending = d.pop("pending")

        total = d.pop("total")

        tz = d.pop("tz")

        user_id = d.pop("user_id")

        stats_response = cls(
            by_priority=by_priority,
            completed=completed,
            completed_last_7_days=completed_last_7_days,
            completed_today=completed_today,
            completion_rate=completion_rate,
            completions_total=completions_total,
            current_streak_days=current_streak_days,
            daily_completions=daily_completions,
            generated_at=generated_at,
            in_progress=in_progress,
            last_completed_at=last_completed_at,
            longest_streak_days=longest_streak_days,
            on_time_rate=on_time_rate,
            overdue=overdue,
            pending=pending,
            total=total,
            tz=tz,
            user_id=user_id,
        )

        stats_response.additional_properties = d
        return stats_response

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
