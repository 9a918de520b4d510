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
    with `window` = (n, seconds), never more than n messages through `gate` in any `seconds`.

    Per process: with several workers, give each a share of the provider's throughput.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        window: tuple[int, float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
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
        self._sleep = sleep
        self._sent: deque[float] = deque()  # when each message still inside the window went

    @classmethod
    def capped(
        cls,
        cap: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> RateLimiter:
        """A limiter that never lets more than `cap` messages into any one-second window and
        averages within a few percent of it.

        A bucket alone cannot do both. With room for a burst it admits, over a window, its
        refill plus whatever it held at the window's start, so a window can exceed the cap; with
        room for one token, every moment the drain spends claiming and recording while a token
        is ready is lost for good (a benchmark drain at a 100/s cap reached 81/s). So the bucket
        (1% under the cap, a tenth of a second's burst) paces the claims, and `gate`, called by
        the sending thread just before the provider call, holds every 1.03 s to the cap with a
        log of what was actually sent. The extra 30 ms absorbs the spread between that moment
        and the provider receiving the message, which is what the provider counts. Whole-number
        caps are kept exactly; a fractional one (2.5/s) is held to its whole part in a second.
        """
        return cls(
            cap * CAP_HEADROOM,
            burst=cap * CAP_BURST,
            monotonic=monotonic,
            window=(max(1, math.floor(cap)), CAP_WINDOW_SECONDS),
            sleep=sleep,
        )

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def take(self, wanted: int) -> int:
        """Take up to `wanted` whole tokens now; returns how many were granted (maybe 0)."""
        with self._lock:
            self._refill()
            # A hair under a whole token is rounding of `elapsed * rate`, not a wait to sleep.
            granted = min(wanted, int(self._tokens + 1e-9))
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

    def gate(self) -> None:
        """Wait, if need be, until one more message fits in the window; then count it as sent.

        Called from sending threads right before the provider call, so the log holds the
        moments messages really left, not when their tokens were granted.
        """
        if self._window is None:
            return
        most, seconds = self._window
        while True:
            with self._lock:
                now = self._monotonic()
                while self._sent and self._sent[0] <= now - seconds:
                    self._sent.popleft()
                if len(self._sent) < most:
                    self._sent.append(now)
                    return
                wait = self._sent[0] + seconds - now
            self._sleep(max(wait, 0.001))  # float rounding must not leave it spinning
