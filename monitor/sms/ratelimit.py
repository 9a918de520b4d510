"""Token bucket for routine traffic (alerts and safety advice never wait for it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CAP_HEADROOM = 0.99


class RateLimiter:
    """At most `rate` messages per second on average, with bursts of at most `burst`.

    Per process: with several workers, give each a share of the provider's throughput.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self._monotonic = monotonic
        self._tokens = 1.0  # start nearly empty so a restart cannot exceed the cap with a burst
        self._last = monotonic()
        self._lock = threading.Lock()

    @classmethod
    def capped(cls, cap: float, monotonic: Callable[[], float] = time.monotonic) -> RateLimiter:
        """A limiter that never lets more than `cap` messages into any one-second window.

        A bucket with room for a burst admits, over a window, its refill plus whatever it held
        at the window's start, so it can exceed the cap. With room for one token and aiming 1%
        under the cap, every one-second window stays at or under a whole-number cap and the
        average stays within 1% of it.
        """
        return cls(cap * CAP_HEADROOM, burst=1.0, monotonic=monotonic)

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def take(self, wanted: int) -> int:
        """Take up to `wanted` whole tokens now; returns how many were granted (maybe 0)."""
        with self._lock:
            self._refill()
            granted = min(wanted, int(self._tokens))
            self._tokens -= granted
            return granted

    def give_back(self, unused: int) -> None:
        """Return tokens taken for messages that turned out not to be there."""
        if unused > 0:
            with self._lock:
                self._tokens = min(self.burst, self._tokens + unused)

    def wait_time(self) -> float:
        """Seconds until one token is available."""
        with self._lock:
            self._refill()
            return max(0.0, (1.0 - self._tokens) / self.rate)
