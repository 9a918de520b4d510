"""Token bucket for routine traffic (alerts and safety advice never wait for it)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

CAP_HEADROOM = 0.99  # the bucket aims 1% under the cap
CAP_BURST = 0.1  # room for a tenth of a second's worth, so a slow drain cycle loses no time
CAP_WINDOW_SECONDS = 1.03  # the cap counted over a little more than a second: see `capped`


class RateLimiter:
    """At most `rate` messages per second on average, with bursts of at most `burst`; and,
    with `window` = (n, seconds), never more than n granted in any `seconds`-long span.

    Per process: with several workers, give each a share of the provider's throughput.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        window: tuple[int, float] | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self._monotonic = monotonic
        self._tokens = 1.0  # start nearly empty so a restart cannot exceed the cap with a burst
        self._last = monotonic()
        self._lock = threading.Lock()
        self._window = window
        self._granted: deque[float] = deque()  # when each token still inside the window went

    @classmethod
    def capped(cls, cap: float, monotonic: Callable[[], float] = time.monotonic) -> RateLimiter:
        """A limiter that never lets more than `cap` messages into any one-second window and
        averages within a few percent of it.

        A bucket alone cannot do both. With room for a burst it admits, over a window, its
        refill plus whatever it held at the window's start, so a window can exceed the cap; with
        room for one token, every moment the drain spends claiming and recording while a token
        is ready is lost for good (a benchmark drain at a 100/s cap reached 81/s). So the
        bucket (1% under the cap, a tenth of a second's burst) sets the pace, and a log of what was
        granted in the last 1.03 s holds every window to the cap. The extra 30 ms absorbs the
        spread between granting a token and the provider receiving the message, which is what
        the provider counts. Whole-number caps are kept exactly; a fractional one (2.5/s) is
        held to its whole part in any one second.
        """
        return cls(
            cap * CAP_HEADROOM,
            burst=cap * CAP_BURST,
            monotonic=monotonic,
            window=(max(1, math.floor(cap)), CAP_WINDOW_SECONDS),
        )

    def _refill(self) -> float:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._window is not None:
            while self._granted and self._granted[0] <= now - self._window[1]:
                self._granted.popleft()
        return now

    def _window_room(self) -> int:
        return self._window[0] - len(self._granted) if self._window is not None else 1 << 30

    def take(self, wanted: int) -> int:
        """Take up to `wanted` whole tokens now; returns how many were granted (maybe 0)."""
        with self._lock:
            now = self._refill()
            granted = max(0, min(wanted, int(self._tokens), self._window_room()))
            self._tokens -= granted
            if self._window is not None:
                self._granted.extend([now] * granted)
            return granted

    def give_back(self, unused: int) -> None:
        """Return tokens taken for messages that turned out not to be there."""
        if unused > 0:
            with self._lock:
                self._tokens = min(self.burst, self._tokens + unused)
                for _ in range(min(unused, len(self._granted))):
                    self._granted.pop()

    def wait_time(self) -> float:
        """Seconds until one token is available."""
        with self._lock:
            now = self._refill()
            bucket = max(0.0, (1.0 - self._tokens) / self.rate)
            if self._window is None or self._window_room() > 0:
                return bucket
            return max(bucket, self._granted[0] + self._window[1] - now)
