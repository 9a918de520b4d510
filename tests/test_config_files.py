"""The shipped configuration files load, say what clinical.md says, and bad copies are refused
with a message naming the file and the entry."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest

from monitor.catalogue import ConfigFileError, default_drugs_file, load_catalogue
from monitor.domain.drugs import Catalogue
from monitor.protocol import default_protocol_file, load_protocol

# clinical.md section 3: generic name -> (brand, default window in days, US boxed DS warning,
# provisional window).
CLINICAL_TABLE = {
    "tretinoin": (None, 14, True, False),
    "arsenic trioxide": ("Trisenox", 14, True, False),
    "ivosidenib": ("Tibsovo", 180, True, False),
    "enasidenib": ("Idhifa", 180, True, False),
    "olutasidenib": ("Rezlidhia", 180, True, False),
    "gilteritinib": ("Xospata", 90, True, False),
    "midostaurin": ("Rydapt", 90, False, False),
    "revumenib": ("Revuforj", 90, True, True),
    "ziftomenib": ("Komzifti", 90, True, True),
}

SHIPPED_DRUGS = default_drugs_file().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue()


def test_shipped_catalogue_has_exactly_the_clinical_drugs(shipped: Catalogue) -> None:
    assert sorted(drug.name for drug in shipped) == sorted(CLINICAL_TABLE)


@pytest.mark.parametrize("generic", list(CLINICAL_TABLE), ids=list(CLINICAL_TABLE))
def test_shipped_drug_matches_the_clinical_table(shipped: Catalogue, generic: str) -> None:
    brand, window, boxed, provisional = CLINICAL_TABLE[generic]
    drug = shipped.find(generic)
    assert drug.name == generic
    assert drug.window_days == window
    assert drug.boxed_warning is boxed
    assert drug.provisional is provisional
    assert drug.source.strip()
    assert drug.class_label.strip()
    if brand is not None:
        assert brand in drug.brands


def test_shipped_classes_group_the_drugs_as_clinical_md(shipped: Catalogue) -> None:
    labels = {drug.name: drug.class_label for drug in shipped}
    assert labels["tretinoin"] == labels["arsenic trioxide"]
    assert labels["ivosidenib"] == labels["olutasidenib"] != labels["enasidenib"]
    assert labels["gilteritinib"] == labels["midostaurin"]
    assert labels["revumenib"] == labels["ziftomenib"]
    assert "APL" in labels["tretinoin"]
    assert "IDH1" in labels["ivosidenib"]
    assert "IDH2" in labels["enasidenib"]
    assert "FLT3" in labels["gilteritinib"]
    assert "enin" in labels["revumenib"]


def write(tmp_path: Path, text: str, name: str = "drugs.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the shipped file changed shape: {old!r}"
    return text.replace(old, new)


def test_changing_a_class_window_applies_to_its_drugs(tmp_path: Path) -> None:
    text = replace_once(
        SHIPPED_DRUGS,
        '[classes.apl_differentiation]\nlabel = "APL differentiation agent"\nwindow_days = 14',
        '[classes.apl_differentiation]\nlabel = "APL differentiation agent"\nwindow_days = 28',
    )
    catalogue = load_catalogue(write(tmp_path, text))
    assert catalogue.find("tretinoin").window_days == 28
    assert catalogue.find("arsenic trioxide").window_days == 28
    assert catalogue.find("ivosidenib").window_days == 180
    assert catalogue.find("gilteritinib").window_days == 90


def test_a_drug_window_overrides_its_class(tmp_path: Path) -> None:
    text = replace_once(
        SHIPPED_DRUGS,
        '[drugs.tretinoin]\nclass = "apl_differentiation"',
        '[drugs.tretinoin]\nclass = "apl_differentiation"\nwindow_days = 47',
    )
    catalogue = load_catalogue(write(tmp_path, text))
    assert catalogue.find("ATRA").window_days == 47
    assert catalogue.find("ATO").window_days == 14


def test_a_drug_may_override_provisional_and_name(tmp_path: Path) -> None:
    text = """
[classes.menin]
label = "Menin inhibitor"
window_days = 90
provisional = true

[drugs.revumenib]
class = "menin"
boxed_warning = true
source = "label"

[drugs.ziftomenib]
name = "Ziftomenib"
class = "menin"
boxed_warning = true
provisional = false
source = "label"
"""
    catalogue = load_catalogue(write(tmp_path, text))
    assert catalogue.get("revumenib").provisional is True
    assert catalogue.get("ziftomenib").provisional is False
    assert catalogue.get("ziftomenib").name == "Ziftomenib"


MINIMAL = """
[classes.apl]
label = "APL differentiation agent"
window_days = 14

[drugs.tretinoin]
class = "apl"
aliases = ["ATRA"]
boxed_warning = true
source = "Frankel 1992"

[drugs.arsenic_trioxide]
class = "apl"
aliases = ["ATO"]
boxed_warning = true
source = "Trisenox label"
"""


def test_the_minimal_catalogue_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, MINIMAL))
    assert catalogue.find("ATO").name == "arsenic trioxide"


@pytest.mark.parametrize(
    ("old", "new", "entry", "words"),
    [
        (
            'class = "apl"\naliases = ["ATO"]',
            'class = "apl2"\naliases = ["ATO"]',
            "drugs.arsenic_trioxide",
            ["'apl2'", "apl"],
        ),
        ('source = "Frankel 1992"\n', "", "drugs.tretinoin.source", ["required"]),
        ('source = "Frankel 1992"', 'source = ""', "drugs.tretinoin.source", ["at least 1"]),
        (
            "window_days = 14",
            "window_days = 0",
            "classes.apl.window_days",
            ["greater than or equal to 1"],
        ),
        (
            'aliases = ["ATRA"]',
            'aliases = ["ATRA"]\nwindow_days = 0',
            "drugs.tretinoin.window_days",
            ["greater than or equal to 1"],
        ),
        (
            'aliases = ["ATRA"]',
            'aliases = ["ATRA"]\ncolour = "red"',
            "drugs.tretinoin.colour",
            ["Extra inputs"],
        ),
        (
            "window_days = 14",
            "window_days = 14\nwindow = 21",
            "classes.apl.window",
            ["Extra inputs"],
        ),
        (
            'aliases = ["ATO"]',
            'aliases = ["ATO", "atra"]',
            "'atra'",
            ["tretinoin", "arsenic_trioxide"],
        ),
        (
            'aliases = ["ATO"]',
            'aliases = ["ATO", "Tretinoin"]',
            "'Tretinoin'",
            ["tretinoin", "arsenic_trioxide"],
        ),
        (
            'boxed_warning = true\nsource = "Trisenox',
            'boxed_warning = "maybe"\nsource = "Trisenox',
            "drugs.arsenic_trioxide.boxed_warning",
            ["boolean"],
        ),
        ('aliases = ["ATRA"]', 'aliases = ["ATRA"', "not valid TOML", []),
    ],
    ids=[
        "unknown-class",
        "missing-source",
        "empty-source",
        "class-window-0",
        "drug-window-0",
        "unknown-drug-key",
        "unknown-class-key",
        "alias-used-by-two-drugs",
        "alias-is-another-drugs-name",
        "boxed-warning-not-a-boolean",
        "invalid-toml",
    ],
)
def test_bad_catalogue_names_the_file_and_the_entry(
    tmp_path: Path, old: str, new: str, entry: str, words: list[str]
) -> None:
    path = write(tmp_path, replace_once(MINIMAL, old, new))
    with pytest.raises(ConfigFileError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert not message.startswith(f"{path}: :")
    assert entry in message
    for word in words:
        assert word in message


def test_missing_catalogue_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigFileError, match=re.escape(f"{path}: file not found")):
        load_catalogue(path)


def test_catalogue_without_drugs_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[classes.apl]\nlabel = "APL"\nwindow_days = 14\n[drugs]\n')
    with pytest.raises(ConfigFileError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}: drugs")


# --- protocol.toml ---------------------------------------------------------------------------


def test_shipped_protocol_defaults() -> None:
    protocol = load_protocol()
    assert protocol.quiet.start == time(21, 0)
    assert protocol.quiet.end == time(8, 0)
    assert protocol.timings.reminder_after == timedelta(minutes=180)
    assert protocol.timings.missed_after == timedelta(minutes=360)


SHIPPED_PROTOCOL = default_protocol_file().read_text(encoding="utf-8")


def protocol_text(
    start: str = '"21:00"', end: str = '"08:00"', reminder: str = "180", missed: str = "360"
) -> str:
    """The shipped protocol.toml with these four values put in (other sections kept as shipped)."""
    text = SHIPPED_PROTOCOL
    for key, value in (
        ("start", start),
        ("end", end),
        ("reminder_after_minutes", reminder),
        ("missed_after_minutes", missed),
    ):
        text, count = re.subn(rf"(?m)^{key} = [^#\n]*", f"{key} = {value}", text)
        assert count == 1, f"the shipped protocol.toml changed shape: {key}"
    return text


def without_section(text: str, section: str) -> str:
    """`text` without the [section] table (up to the next table header)."""
    cut, count = re.subn(rf"(?ms)^\[{re.escape(section)}\]\n.*?(?=^\[|\Z)", "", text)
    assert count == 1, f"no [{section}] in the shipped protocol.toml"
    return cut


@pytest.mark.parametrize(
    ("text", "start", "end", "reminder", "missed"),
    [
        (protocol_text(), time(21, 0), time(8, 0), 180, 360),
        (protocol_text(start="22:30:00", end="07:00:00"), time(22, 30), time(7, 0), 180, 360),
        (protocol_text(start='"08:00"', end='"08:00"'), time(8, 0), time(8, 0), 180, 360),
        (protocol_text(reminder="60", missed="240"), time(21, 0), time(8, 0), 60, 240),
    ],
    ids=["defaults-copy", "toml-local-times", "quiet-hours-off", "shorter-delays"],
)
def test_protocol_copies_load(
    tmp_path: Path, text: str, start: time, end: time, reminder: int, missed: int
) -> None:
    protocol = load_protocol(write(tmp_path, text, "protocol.toml"))
    assert (protocol.quiet.start, protocol.quiet.end) == (start, end)
    assert protocol.timings.reminder_after == timedelta(minutes=reminder)
    assert protocol.timings.missed_after == timedelta(minutes=missed)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (protocol_text(reminder="360", missed="360"), ["reminder_after_minutes", "shorter"]),
        (protocol_text(reminder="400", missed="360"), ["reminder_after_minutes", "shorter"]),
        (protocol_text(start='"25:00"'), ["quiet_hours.start"]),
        (protocol_text(end='"8am"'), ["quiet_hours.end"]),
        (protocol_text(start='"21:00+02:00"'), ["quiet_hours.start"]),
        (protocol_text(reminder="0"), ["checkins.reminder_after_minutes"]),
        (protocol_text(missed="2000"), ["checkins.missed_after_minutes"]),
        (protocol_text(missed="360\nextra = 1"), ["checkins.extra", "Extra inputs"]),
        (without_section(SHIPPED_PROTOCOL, "quiet_hours"), ["quiet_hours", "required"]),
        (without_section(SHIPPED_PROTOCOL, "checkins"), ["checkins", "required"]),
        (protocol_text().replace("[checkins]", "[checkins"), ["not valid TOML"]),
    ],
    ids=[
        "reminder-equal-to-missed",
        "reminder-after-missed",
        "hour-25",
        "not-hh-mm",
        "time-with-utc-offset",
        "reminder-0",
        "missed-more-than-a-day",
        "unknown-key",
        "missing-quiet-hours",
        "missing-checkins",
        "invalid-toml",
    ],
)
def test_bad_protocol_is_refused_naming_the_file_and_entry(
    tmp_path: Path, text: str, words: list[str]
) -> None:
    path = write(tmp_path, text, "protocol.toml")
    with pytest.raises(ConfigFileError) as caught:
        load_protocol(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for word in words:
        assert word in message
