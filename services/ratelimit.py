"""Per-key limits (a client address, a complaint), counted in memory (one process).

A sliding window of timestamps per key; a deployment with several app instances moves this to
Redis behind the same calls.
"""

from __future__ import annotations

import math
import time
from collections import deque


class RateLimit:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) > 50_000:  # forget idle keys now and then so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _wait(self, hits: deque[float], now: float) -> int:
        return max(1, math.ceil(hits[0] + self.window - now))

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may act again; 0 when it may act now."""
        now = time.monotonic()
        hits = self._recent(key, now)
        return 0 if len(hits) < self.limit else self._wait(hits, now)

    def hit(self, key: str) -> None:
        now = time.monotonic()
        self._recent(key, now).append(now)

    def reserve(self, key: str) -> int:
        """Count an attempt before it is made: 0 when it was recorded, else the seconds to wait.

        Check and count are one synchronous step (no ``await`` between them), so attempts that arrive
        together cannot all pass the check before any is counted. Give the slot back with ``refund``
        when the attempt turns out not to be a failure.
        """
        now = time.monotonic()
        hits = self._recent(key, now)
        if len(hits) >= self.limit:
            return self._wait(hits, now)
        hits.append(now)
        return 0

    def refund(self, key: str) -> None:
        """Give back the newest reserved slot of ``key`` (the attempt succeeded)."""
        hits = self._hits.get(key)
        if hits:
            hits.pop()

    def reset(self) -> None:
        self._hits.clear()


def wait_text(seconds: int) -> str:
    """'5 menit' / '40 detik' for messages."""
    return f'{math.ceil(seconds / 60)} menit' if seconds >= 60 else f'{seconds} detik'
