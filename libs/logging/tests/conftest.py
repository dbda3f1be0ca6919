import io
from collections.abc import Iterator

import pytest

from platform_logging import clear_context, configure_logging


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """A stream to configure logging on; the context and the default configuration are
    restored afterwards."""
    out = io.StringIO()
    clear_context()
    yield out
    clear_context()
    configure_logging(level="info", fmt="console")
