"""The HTTP answer of ``GET /v1/stats``, the same on the route and on the fast path."""

from __future__ import annotations

import orjson
from starlette.responses import Response

from task_manager.stats.service import StatsDocument

# Timestamps in UTC with "Z", as every timestamp of the API (tasks/http.py).
_JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def stats_response(document: StatsDocument) -> Response:
    """One orjson pass over plain values: validating a ``StatsResponse`` and dumping it cost
    about a tenth of a stats request. ``StatsResponse`` documents the shape, which
    ``tests/test_stats_contract.py`` holds the rendered answers to."""
    return Response(orjson.dumps(document, option=_JSON_OPTIONS), media_type="application/json")
