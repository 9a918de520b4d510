"""The token bucket that holds routine traffic to the configured rate, on a fake clock."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.sms.ratelimit import RateLimiter


class FakeClock:
    def __init__(self, start: float = 500.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_new_limiter_holds_one_token_so_a_restart_cannot_burst(clock: FakeClock) -> None:
    limiter = RateLimiter(10, monotonic=clock)

    assert limiter.take(100) == 1
    assert limiter.take(100) == 0


def test_tokens_come_back_at_the_rate(clock: FakeClock) -> None:
    limiter = RateLimiter(4, monotonic=clock)
    limiter.take(1)

    clock.now += 0.5
    assert limiter.take(100) == 2
    clock.now += 0.2  # 0.8 of a token: none whole yet
    assert limiter.take(100) == 0
    clock.now += 0.05
    assert limiter.take(100) == 1


@pytest.mark.parametrize(
    ("rate", "burst", "full"),
    [
        pytest.param(4, None, 4, id="burst-defaults-to-rate"),
        pytest.param(4, 10, 10, id="larger-burst"),
        pytest.param(0.2, None, 1, id="slow-rate-still-one-at-a-time"),
        pytest.param(5, 0, 1, id="burst-never-below-one"),
    ],
)
def test_an_idle_bucket_fills_only_to_its_burst(
    clock: FakeClock, rate: float, burst: float | None, full: int
) -> None:
    limiter = RateLimiter(rate, burst, monotonic=clock)

    clock.now += 3600
    assert limiter.take(1000) == full


def test_a_fractional_rate_grants_one_token_per_interval(clock: FakeClock) -> None:
    limiter = RateLimiter(0.5, monotonic=clock)  # one message every two seconds
    assert limiter.take(5) == 1

    clock.now += 1.5  # three quarters of a token
    assert limiter.take(5) == 0
    assert limiter.wait_time() == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.take(5) == 1


def test_wait_time_says_how_long_until_the_next_token(clock: FakeClock) -> None:
    limiter = RateLimiter(4, monotonic=clock)
    assert limiter.wait_time() == 0.0  # the first token is there

    limiter.take(1)
    assert limiter.wait_time() == pytest.approx(0.25)
    clock.now += 0.1
    assert limiter.wait_time() == pytest.approx(0.15)
    clock.now += 0.15
    assert limiter.wait_time() == 0.0


def test_tokens_given_back_can_be_taken_again_but_never_past_the_burst(clock: FakeClock) -> None:
    limiter = RateLimiter(10, monotonic=clock)
    clock.now += 1  # full: 10
    assert limiter.take(32) == 10

    limiter.give_back(7)
    assert limiter.take(32) == 7
    limiter.give_back(50)  # more than was ever taken
    assert limiter.take(100) == 10


@pytest.mark.parametrize("unused", [0, -3])
def test_giving_back_nothing_changes_nothing(clock: FakeClock, unused: int) -> None:
    limiter = RateLimiter(10, monotonic=clock)
    limiter.take(1)

    limiter.give_back(unused)
    assert limiter.take(10) == 0


@pytest.mark.parametrize("rate", [0, -1])
def test_a_rate_must_be_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        RateLimiter(rate)


@given(
    rate=st.sampled_from([0.5, 1, 3, 4, 25]),
    steps=st.lists(
        st.tuples(st.floats(min_value=0, max_value=2), st.integers(min_value=0, max_value=40)),
        max_size=60,
    ),
)
def test_no_schedule_of_takes_beats_the_bucket(rate: float, steps: list[tuple[float, int]]) -> None:
    """Over any run: granted <= first token + rate * elapsed, and never more than asked."""
    clock = FakeClock(0.0)
    limiter = RateLimiter(rate, monotonic=clock)
    granted = 0
    for pause, wanted in steps:
        clock.now += pause
        got = limiter.take(wanted)
        assert 0 <= got <= wanted
        granted += got
        assert granted <= 1 + rate * clock.now + 1e-9


def test_threads_taking_at_once_never_share_a_token(clock: FakeClock) -> None:
    limiter = RateLimiter(1000, burst=1000, monotonic=clock)
    clock.now += 10  # 1000 tokens, and the clock stands still
    granted: list[int] = []
    start = threading.Barrier(8)

    def take_all() -> None:
        start.wait()
        mine = 0
        for _ in range(200):
            mine += limiter.take(3)
        granted.append(mine)

    threads = [threading.Thread(target=take_all) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(granted) == 1000


@pytest.mark.parametrize("cap", [1, 3, 10, 100], ids=["1/s", "3/s", "10/s", "100/s"])
@pytest.mark.parametrize(
    ("cycle", "per_message"),
    [
        pytest.param(0.0, 0.0, id="instant-drain"),
        pytest.param(0.008, 0.001, id="8ms-claim-and-record"),
        pytest.param(0.03, 0.002, id="30ms-cycles-on-a-loaded-host"),
    ],
)
def test_a_capped_limiter_never_lets_more_than_the_cap_into_any_second(
    cap: int, cycle: float, per_message: float
) -> None:
    """A drainer taking tokens as it can for 20 s, each round costing `cycle` seconds of claim
    and record, then passing each message through `gate()` and `per_message` of sending,
    sleeping `wait_time()` when refused (as drain_outbox does): every one-second window holds
    at most `cap` messages, and the average is within 5% of the cap and not above it. (A bucket
    with room for one token lost the cycle time: 81/s at 100/s.)
    """
    clock = FakeClock(0.0)

    def sleep(seconds: float) -> None:
        clock.now += seconds

    limiter = RateLimiter.capped(cap, monotonic=clock, sleep=sleep)
    sent: list[float] = []
    while clock.now < 20.0:
        granted = limiter.take(cap * 4)
        if not granted:
            sleep(max(limiter.wait_time(), 1e-6))
            continue
        sleep(cycle)
        for _ in range(granted):
            limiter.gate()
            sent.append(clock.now)
            sleep(per_message)
    busiest = max(
        sum(1 for at in sent if start <= at < start + 1.0)
        for start in [at for at in sent if at <= 19.0]
    )
    assert busiest <= cap
    rate = len(sent) / clock.now
    assert 0.95 * cap <= rate <= cap


def test_the_gate_holds_a_message_until_the_window_has_room(clock: FakeClock) -> None:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    limiter = RateLimiter(100, burst=100, monotonic=clock, window=(3, 1.0), sleep=sleep)
    for _ in range(3):
        limiter.gate()
        clock.now += 0.1
    assert slept == []

    limiter.gate()  # the first went at 500.0; room again at 501.0
    assert slept == [pytest.approx(0.7)]
    assert clock.now == pytest.approx(501.0)


def test_without_a_window_the_gate_never_waits(clock: FakeClock) -> None:
    limiter = RateLimiter(1, monotonic=clock, sleep=lambda _: pytest.fail("slept"))
    for _ in range(100):
        limiter.gate()
