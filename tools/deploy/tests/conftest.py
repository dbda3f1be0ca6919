import logging

import pytest


@pytest.fixture(autouse=True)
def _quiet_root_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other test packages of the same pytest session may have pointed the root logger at
    stdout; the deploy CLI's stdout must hold only its JSON summary."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.NullHandler()])
