"""The drug catalogue as the rest of the system sees it: lookup by generic name, brand or alias."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Drug:
    key: str  # stable identifier stored on courses, e.g. "arsenic_trioxide"
    name: str  # generic name
    drug_class: str
    class_label: str
    window_days: int
    brands: tuple[str, ...]
    aliases: tuple[str, ...]
    boxed_warning: bool
    provisional: bool
    source: str


class UnknownDrug(LookupError):
    def __init__(self, given: str, known: Iterable[str]) -> None:
        self.given = given
        names = ", ".join(sorted(known))
        super().__init__(
            f"unknown drug {given!r}: use a generic name, brand or alias from `dswatch drugs` "
            f"({names})"
        )


def _normalise(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


class Catalogue:
    def __init__(self, drugs: Iterable[Drug]) -> None:
        self._drugs = {drug.key: drug for drug in drugs}
        self._index: dict[str, str] = {}
        for drug in self._drugs.values():
            for label in (drug.key, drug.name, *drug.brands, *drug.aliases):
                key = _normalise(label)
                owner = self._index.setdefault(key, drug.key)
                if owner != drug.key:
                    raise ValueError(f"name {label!r} is used by both {owner} and {drug.key}")

    def __iter__(self) -> Iterator[Drug]:
        return iter(self._drugs.values())

    def __len__(self) -> int:
        return len(self._drugs)

    def find(self, name: str) -> Drug:
        """The drug a generic name, brand or alias refers to; UnknownDrug names the choices."""
        key = self._index.get(_normalise(name))
        if key is None:
            raise UnknownDrug(name, (drug.name for drug in self._drugs.values()))
        return self._drugs[key]

    def get(self, key: str) -> Drug:
        return self._drugs[key]
