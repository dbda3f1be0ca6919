from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.recurrence_in_anchor import RecurrenceInAnchor
from ..types import UNSET, Unset

T = TypeVar("T", bound="RecurrenceIn")


@_attrs_define
class RecurrenceIn:
    """A recurrence as a request sets it (replaced as a whole; ``starts_at`` is read-only).

    Attributes:
        rule (str): An RFC 5545 RRULE value of this subset: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY; required), INTERVAL
            (1-366), BYDAY (MO…SU; ordinals such as 2TU or -1FR only with MONTHLY/YEARLY), BYMONTHDAY (1…31 or -31…-1),
            BYMONTH (1…12), COUNT (1-10 000) or UNTIL (not both; YYYYMMDDTHHMMSSZ, or YYYYMMDD: the end of that local date
            in tz), WKST. Answered normalised: upper case, parts in that order.
        anchor (RecurrenceInAnchor | Unset): `schedule`: occurrences follow the rule; `completion`: the next due date is
            the completion's local date plus INTERVAL units (rules without BY… parts only). Default:
            RecurrenceInAnchor.SCHEDULE.
        tz (str | Unset): IANA time zone the rule is evaluated in (local wall-clock time is kept across daylight-saving
            changes). Default: 'UTC'.
    """

    rule: str
    anchor: RecurrenceInAnchor | Unset = RecurrenceInAnchor.SCHEDULE
    tz: str | Unset = "UTC"

    def to_dict(self) -> dict[str, Any]:
        rule = self.rule

        anchor: str | Unset = UNSET
        if not isinstance(self.anchor, Unset):
            anchor = self.anchor.value

        tz = self.tz

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rule": rule,
            }
        )
        if anchor is not UNSET:
            field_dict["anchor"] = anchor
        if tz is not UNSET:
            field_dict["tz"] = tz

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rule = d.pop("rule")

        _anchor = d.pop("anchor", UNSET)
        anchor: RecurrenceInAnchor | Unset
        if isinstance(_anchor, Unset):
            anchor = UNSET
        else:
            anchor = RecurrenceInAnchor(_anchor)

        tz = d.pop("tz", UNSET)

        recurrence_in = cls(
            rule=rule,
            anchor=anchor,
            tz=tz,
        )

        return recurrence_in
