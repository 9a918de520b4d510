"""The composition root: settings, database, catalogue, protocol, renderer, sender and clock.

Built by `build_runtime`, never at import time, so tests and the simulator pass their own parts.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.catalogue import load_catalogue
from monitor.clock import Clock, SystemClock
from monitor.db.engine import make_engine, make_sessionmaker
from monitor.domain.drugs import Catalogue
from monitor.protocol import Protocol, load_protocol
from monitor.settings import Settings
from monitor.sms.ratelimit import RateLimiter
from monitor.sms.render import Renderer
from monitor.sms.sender import LocalSender, SmsSender
from monitor.sms.twilio_sender import TwilioSender

log = logging.getLogger("dswatch")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    catalogue: Catalogue
    protocol: Protocol
    renderer: Renderer
    sender: SmsSender
    clock: Clock
    limiter: RateLimiter | None = None
    # Codes for patients and alerts; the simulator seeds it so a scenario repeats exactly.
    rng: random.Random = field(default_factory=random.SystemRandom)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def build_sender(settings: Settings) -> SmsSender:
    """Twilio when its credentials are set; otherwise the local sender, said once in the log."""
    if settings.twilio_enabled:
        assert settings.twilio_account_sid and settings.twilio_auth_token
        return TwilioSender.build(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            from_number=settings.twilio_from_number,
            messaging_service_sid=settings.twilio_messaging_service_sid,
            api_base_url=settings.twilio_api_base_url,
            timeout=settings.twilio_timeout_seconds,
            pool_size=settings.send_concurrency,
        )
    log.info("Twilio credentials not set: using the local sender (messages stay on this machine)")
    return LocalSender()


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    sender: SmsSender | None = None,
    engine: Engine | None = None,
    rate_limit: bool = True,
    rng: random.Random | None = None,
) -> Runtime:
    rate = settings.routine_rate_per_second
    return Runtime(
        settings=settings,
        engine=engine or make_engine(settings.database_url),
        catalogue=load_catalogue(settings.drugs_file),
        protocol=load_protocol(settings.protocol_file),
        renderer=Renderer(),
        sender=sender or build_sender(settings),
        clock=clock or SystemClock(),
        limiter=RateLimiter.capped(rate) if (rate and rate_limit) else None,
        rng=rng or random.SystemRandom(),
    )
