"""The drug catalogue: lookups by generic name, brand or alias; the shipped catalogue."""

from __future__ import annotations

import pytest

from monitor.catalogue import load_catalogue
from monitor.domain.drugs import Catalogue, Drug, UnknownDrug


def drug(key: str, name: str, brands: tuple[str, ...] = (), aliases: tuple[str, ...] = ()) -> Drug:
    return Drug(
        key=key,
        name=name,
        drug_class="apl_differentiation",
        class_label="APL differentiation agent",
        window_days=14,
        brands=brands,
        aliases=aliases,
        boxed_warning=True,
        provisional=False,
        source="a source",
    )


SMALL = Catalogue(
    [
        drug("tretinoin", "tretinoin", ("Vesanoid",), ("ATRA", "all-trans retinoic acid")),
        drug("arsenic_trioxide", "arsenic trioxide", ("Trisenox",), ("ATO",)),
    ]
)


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("tretinoin", "tretinoin"),
        ("TRETINOIN", "tretinoin"),
        ("  Vesanoid ", "tretinoin"),
        ("atra", "tretinoin"),
        ("All-Trans Retinoic Acid", "tretinoin"),
        ("all trans retinoic acid", "tretinoin"),
        ("all_trans__retinoic  acid", "tretinoin"),
        ("arsenic_trioxide", "arsenic_trioxide"),
        ("Arsenic Trioxide", "arsenic_trioxide"),
        ("arsenic-trioxide", "arsenic_trioxide"),
        ("trisenox", "arsenic_trioxide"),
        ("Ato", "arsenic_trioxide"),
    ],
    ids=[
        "generic",
        "generic-capitals",
        "brand-with-spaces",
        "alias-lower",
        "alias-phrase-mixed-case",
        "alias-phrase-spaces-for-hyphen",
        "alias-underscores-and-double-spaces",
        "key",
        "generic-two-words",
        "generic-hyphenated",
        "brand-lower",
        "alias-mixed-case",
    ],
)
def test_find(given: str, key: str) -> None:
    assert SMALL.find(given).key == key


@pytest.mark.parametrize(
    "given", ["aspirin", "", "ATRAX", "tret"], ids=["other", "empty", "longer", "prefix"]
)
def test_unknown_drug_names_the_choices(given: str) -> None:
    with pytest.raises(UnknownDrug) as caught:
        SMALL.find(given)
    message = str(caught.value)
    assert repr(given) in message
    assert "tretinoin" in message
    assert "arsenic trioxide" in message
    assert caught.value.given == given
    assert isinstance(caught.value, LookupError)


def test_a_name_used_by_two_drugs_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        Catalogue([drug("a", "alpha", aliases=("X1",)), drug("b", "beta", brands=("x1",))])
    assert "'x1'" in str(caught.value)
    assert "a" in str(caught.value) and "b" in str(caught.value)


def test_a_drug_may_repeat_its_own_name() -> None:
    catalogue = Catalogue([drug("tretinoin", "tretinoin", aliases=("Tretinoin",))])
    assert catalogue.find("TRETINOIN").key == "tretinoin"
    assert len(catalogue) == 1


def test_iteration_and_get() -> None:
    assert [item.key for item in SMALL] == ["tretinoin", "arsenic_trioxide"]
    assert len(SMALL) == 2
    assert SMALL.get("arsenic_trioxide").name == "arsenic trioxide"
    with pytest.raises(KeyError):
        SMALL.get("Trisenox")


# --- the shipped catalogue (config/drugs.toml) -----------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue()


@pytest.mark.parametrize(
    ("given", "generic"),
    [
        ("ATRA", "tretinoin"),
        ("atra", "tretinoin"),
        ("all-trans retinoic acid", "tretinoin"),
        ("ato", "arsenic trioxide"),
        ("ATO", "arsenic trioxide"),
        ("Trisenox", "arsenic trioxide"),
        ("Tibsovo", "ivosidenib"),
        ("tibsovo", "ivosidenib"),
        ("Idhifa", "enasidenib"),
        ("REZLIDHIA", "olutasidenib"),
        ("Xospata", "gilteritinib"),
        ("Rydapt", "midostaurin"),
        ("Revuforj", "revumenib"),
        ("Komzifti", "ziftomenib"),
        ("Arsenic Trioxide", "arsenic trioxide"),
    ],
    ids=[
        "ATRA",
        "atra-lower",
        "all-trans-retinoic-acid",
        "ato-lower",
        "ATO",
        "Trisenox",
        "Tibsovo",
        "tibsovo-lower",
        "Idhifa",
        "REZLIDHIA-upper",
        "Xospata",
        "Rydapt",
        "Revuforj",
        "Komzifti",
        "generic-capitalised",
    ],
)
def test_shipped_lookup(shipped: Catalogue, given: str, generic: str) -> None:
    assert shipped.find(given).name == generic


def test_shipped_unknown_drug_lists_every_generic_name(shipped: Catalogue) -> None:
    with pytest.raises(UnknownDrug) as caught:
        shipped.find("gemtuzumab ozogamicin")
    message = str(caught.value)
    for generic in ("tretinoin", "arsenic trioxide", "ivosidenib", "ziftomenib", "midostaurin"):
        assert generic in message
    assert "dswatch drugs" in message
