"""schemathesis hooks of scripts/fuzz.py (loaded through SCHEMATHESIS_HOOKS).

``GET /v1/tasks?tag=`` is a repeatable query parameter whose items are free strings. A query
string carries text only, so whatever negative testing puts in its place (a number, a boolean,
an object whose keys become repeated values, a list of numbers: ``tag=1.36e-181``) reaches the
service as a list of valid tags, and schemathesis 4.32 sometimes reports the 200 as
"schema-violating request accepted" (CI, 2026-12-01). Such cases test nothing the wire can
tell apart, so they are filtered out. Lists of strings (too many of them is the one negative
case that reaches the service as one), absent values and every other parameter are generated
as before.
"""

from typing import Any

import schemathesis

# Repeatable query parameters whose items accept any string, by operation.
FREE_STRING_LISTS = {("GET", "/v1/tasks"): ("tag",)}


@schemathesis.hook
def filter_query(ctx: Any, query: dict[str, Any] | None) -> bool:
    if not query or ctx.operation is None:
        return True
    names = FREE_STRING_LISTS.get((ctx.operation.method.upper(), ctx.operation.path), ())
    return all(name not in query or is_text_list(query[name]) for name in names)


def is_text_list(value: object) -> bool:
    """None (no parameter) or a list of strings: what the wire can tell apart from any other
    value once a form-style query serialises it to repeated ``name=text`` pairs."""
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))
