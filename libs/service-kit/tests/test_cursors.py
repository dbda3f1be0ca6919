"""The kit's page cursors: a round trip, and every kind of damage refused."""

from __future__ import annotations

import pytest

from platform_service.cursors import MalformedCursorError, digest, seal, unseal

KIND = b"test/items-cursor/v1\x00"
OTHER_KIND = b"test/other-cursor/v1\x00"


def test_round_trip_and_a_stable_format() -> None:
    text = seal(KIND, {"v": 1, "u": digest(b"u-42"), "p": 17})
    assert unseal(KIND, text, max_chars=256) == {"v": 1, "u": digest(b"u-42"), "p": 17}
    assert "=" not in text and text.count(".") == 1  # base64url without padding, one dot
    # Cursors outlive deploys: the format of the services' cursors is pinned here.
    assert seal(KIND, {"p": 1}) == "eyJwIjoxfQ.09DluBZOAa5TtVXcaJxGFg"


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"),  # checksum changed
        lambda t: "eyJwIjoyfQ" + t[t.index(".") :],  # payload changed
        lambda t: t.replace(".", ""),  # no checksum
        lambda t: "",
        lambda t: "é" + t,  # not ASCII
        lambda t: "!!!." + t.split(".")[1],  # not base64url
    ],
)
def test_damaged_cursors_are_refused(damage: object) -> None:
    text = seal(KIND, {"p": 1})
    with pytest.raises(MalformedCursorError):
        unseal(KIND, damage(text), max_chars=256)  # type: ignore[operator]


def test_a_cursor_of_another_kind_is_refused() -> None:
    with pytest.raises(MalformedCursorError, match="checksum"):
        unseal(OTHER_KIND, seal(KIND, {"p": 1}), max_chars=256)


def test_too_long_and_not_an_object() -> None:
    with pytest.raises(MalformedCursorError, match="too long"):
        unseal(KIND, seal(KIND, {"p": "x" * 300}), max_chars=256)
    with pytest.raises(MalformedCursorError, match="not an object"):
        unseal(KIND, seal(KIND, [1, 2]), max_chars=256)  # type: ignore[arg-type]


def test_digests_are_short_and_distinct() -> None:
    assert len(digest(b"u-42")) == 22 and len(digest(b"u-42", 12)) == 16
    assert digest(b"u-42") != digest(b"u-43")
