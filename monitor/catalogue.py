"""Load and validate the drug catalogue TOML (config/drugs.toml or DSWATCH_DRUGS_FILE)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from monitor.domain.drugs import Catalogue, Drug
from monitor.paths import config_dir


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; the message names the file and the entry."""


class _Class(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    window_days: int = Field(ge=1, le=3650)
    provisional: bool = False


class _Drug(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: str | None = None
    drug_class: str = Field(alias="class")
    brands: list[str] = []
    aliases: list[str] = []
    boxed_warning: bool
    source: str = Field(min_length=1)
    window_days: int | None = Field(default=None, ge=1, le=3650)
    provisional: bool | None = None


class _CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    classes: dict[str, _Class]
    drugs: dict[str, _Drug] = Field(min_length=1)

    @model_validator(mode="after")
    def _classes_exist(self) -> _CatalogueFile:
        for key, drug in self.drugs.items():
            if drug.drug_class not in self.classes:
                known = ", ".join(sorted(self.classes))
                raise ValueError(f"drugs.{key}: class {drug.drug_class!r} is not one of {known}")
        return self


def default_drugs_file() -> Path:
    return config_dir() / "drugs.toml"


def read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigFileError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileError(f"{path}: not valid TOML ({error})") from None


def describe_validation_error(path: Path, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        # Whole-file checks have no location; their message names the entry itself.
        problems.append(f"{where}: {message}" if where else message)
    return f"{path}: " + "; ".join(problems)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read, validate and resolve class defaults; raise ConfigFileError on any problem."""
    path = path or default_drugs_file()
    try:
        parsed = _CatalogueFile.model_validate(read_toml(path))
    except ValidationError as error:
        raise ConfigFileError(describe_validation_error(path, error)) from None
    drugs = []
    for key, entry in parsed.drugs.items():
        drug_class = parsed.classes[entry.drug_class]
        drugs.append(
            Drug(
                key=key,
                name=entry.name or key.replace("_", " "),
                drug_class=entry.drug_class,
                class_label=drug_class.label,
                window_days=entry.window_days or drug_class.window_days,
                brands=tuple(entry.brands),
                aliases=tuple(entry.aliases),
                boxed_warning=entry.boxed_warning,
                provisional=(
                    entry.provisional if entry.provisional is not None else drug_class.provisional
                ),
                source=entry.source,
            )
        )
    try:
        return Catalogue(drugs)
    except ValueError as error:
        raise ConfigFileError(f"{path}: {error}") from None
