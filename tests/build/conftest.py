"""Fixtures shared by the build's tests."""

from __future__ import annotations

from typing import Any

import pytest

from generator.core.models import Release
from generator.outputs.feeds import items as feed_items


@pytest.fixture
def feed_items_built(monkeypatch: pytest.MonkeyPatch) -> list[Release]:
    """The releases whose feed item a build in this process builds (not takes from the cache), in order."""
    built: list[Release] = []
    real = feed_items.feed_entry

    def counting(release: Release, data: Any) -> Any:
        built.append(release)
        return real(release, data)

    monkeypatch.setattr(feed_items, "feed_entry", counting)
    return built
