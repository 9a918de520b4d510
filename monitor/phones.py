"""Phone numbers: parse, validate and normalise to E.164 (via phonenumbers)."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

_TEXTABLE = {
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
}


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str, default_region: str = "US") -> str:
    """The E.164 form of `raw`, or InvalidPhone saying what to write instead."""
    text = (raw or "").strip()
    example = "use E.164, e.g. +12015550123"
    if not text:
        raise InvalidPhone(f"phone is empty: {example}")
    try:
        number = phonenumbers.parse(text, default_region)
    except NumberParseException:
        raise InvalidPhone(f"phone {text} is not a phone number: {example}") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"phone {text} is not a valid number: {example}")
    if phonenumbers.number_type(number) not in _TEXTABLE:
        raise InvalidPhone(
            f"phone {text} is a landline or service number that cannot receive SMS: "
            "give a mobile number"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked(phone: str) -> str:
    """Last two digits only, for places where staff must tell numbers apart (never in logs)."""
    return "*" * max(len(phone) - 2, 0) + phone[-2:]
