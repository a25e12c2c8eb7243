from __future__ import annotations

import json
import re

import pytest

from tilannekuva.i18n import LANGUAGES, catalogue, catalogue_files, t

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_catalogues_have_identical_keys() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["fi"] == keys["sv"] == keys["en"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_placeholders_match_the_finnish_string(lang: str) -> None:
    for key, text in catalogue("fi").items():
        assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(catalogue(lang)[key])), (
            key
        )


def test_no_empty_strings() -> None:
    for lang in LANGUAGES:
        assert all(text.strip() for text in catalogue(lang).values()), lang


def test_unknown_key_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        t("fi", "no.such.key")


def test_unknown_language_falls_back_to_finnish() -> None:
    assert t("xx", "page.overview") == "Yleiskuva"


def test_each_area_file_exists_in_every_language() -> None:
    names = {lang: [part.name for part in catalogue_files(lang)] for lang in LANGUAGES}
    assert names["fi"] == names["sv"] == names["en"]
    assert "app.json" in names["fi"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_key_is_defined_in_two_area_files(lang: str) -> None:
    seen: dict[str, str] = {}
    for part in catalogue_files(lang):
        for key in json.loads(part.read_text(encoding="utf-8")):
            assert key not in seen, f"{key} is in {seen.get(key)} and {part.name}"
            seen[key] = part.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_keys_of_one_prefix_live_in_one_area_file(lang: str) -> None:
    """A newcomer finds a key by its prefix: every ``compare.*`` key is in the one file of its
    area (compare.json), never spread over several."""
    file_of: dict[str, str] = {}
    for part in catalogue_files(lang):
        for key in json.loads(part.read_text(encoding="utf-8")):
            prefix = key.split(".")[0]
            assert file_of.setdefault(prefix, part.name) == part.name, (
                f"{prefix}.* keys are in {file_of[prefix]} and {part.name}"
            )


def test_page_texts_speak_the_users_terms() -> None:
    """Issue #21: page texts sent users to developer material ("katso README", "lisää rivi
    waves.csv", data/examples/register/); the file names belong to the README."""
    import json
    import re
    from pathlib import Path

    developer = re.compile(r"README|\w\.(csv|toml)\b|data/|register/")
    folder = Path(__file__).parent.parent / "tilannekuva" / "locales"
    for path in sorted(folder.glob("*/*.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            assert not developer.search(text), (path.parent.name, key, text)
