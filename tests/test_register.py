"""The municipality register (data/register/), its checks, the crosswalk and the CLI."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tilannekuva import cli
from tilannekuva import register as register_module
from tilannekuva.config import PROJECT_DIR
from tilannekuva.register import (
    CHANGES_FILE,
    MUNICIPALITIES_FILE,
    REGIONS_FILE,
    REGISTER_DIR,
    WELLBEING_COUNTIES_FILE,
    Register,
    RegisterFileError,
    RegisterIssue,
    check_municipality,
    load_register,
)


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register()


# The classification's own totals, each from a source named in data/register/SOURCES.md.
PUBLISHED_TOTALS = {
    2009: 348,  # issue #7; reproduced by the derivation (2025 key + every later change undone)
    2011: 336,  # S16: "As of 2011, there are 336 municipalities in Finland"
    2013: 320,  # S17: Kuntaliitto, "kuntia vuoden 2013 alussa oli Suomessa yhteensä 320"
    2015: 317,  # S18: vm.fi, "Vuonna 2015 Suomessa on 317 kuntaa"
    2017: 311,  # S14: vm.fi/sv, "År 2017 finns det 311 kommuner"
    2018: 311,  # S19: kuntanet.fi, "Vuoden 2018 alussa Suomessa oli 311 kuntaa"
    2020: 310,  # S10: yle.fi 2020, "Kuntia on nyt 310" (Valtimo joined Nurmes)
    2021: 309,  # S10/S9: the one merger of 1.1.2021 (Honkajoki into Kankaanpää); also S33
    # S33, Statistics Finland's notice of 1.1.2024: "Suomen kuntien lukumäärä on 309, samoin kuin
    # vuosina 2021-2023" (S54 the same in Swedish).
    2022: 309,
    2023: 309,  # S20: "Vuonna 2023 Suomessa on 309 kuntaa"; also S33
    2024: 309,  # S33
    2025: 308,  # S1: kunta_1_20250101#seutukunta_1_20250101, total_municipalities 308
    2026: 308,  # S2: kunta_1_20260101, 308 codes
}


@pytest.mark.parametrize(("year", "total"), sorted(PUBLISHED_TOTALS.items()))
def test_counts_match_the_published_totals(register: Register, year: int, total: int) -> None:
    assert len(register.municipalities_of(year)) == total


def test_every_year_follows_from_the_one_before_through_the_changes(register: Register) -> None:
    """Year Y = year Y-1 minus the codes merged away on 1.1.Y plus new codes formed then; the
    count of each year is therefore tied to the change list, not typed separately."""
    years = register.years()
    assert years == list(range(2009, 2027))
    for year in years[1:]:
        before = {m.code for m in register.municipalities_of(year - 1)}
        after = {m.code for m in register.municipalities_of(year)}
        mergers = [c for c in register.changes if c.kind == "merger" and c.date.year == year]
        assert before - after == {c.from_code for c in mergers}, year
        assert after - before == {c.to_code for c in mergers} - before, year


def test_regions_of_each_year(register: Register) -> None:
    mainland = [f"{n:02d}" for n in (1, 2, *range(4, 20))]
    assert [r.code for r in register.regions_of(2009)] == [*mainland, "20", "21"]
    assert [r.code for r in register.regions_of(2010)] == [*mainland, "20", "21"]
    for year in range(2011, 2027):
        # 18 regions on the mainland plus Åland (21): 19 codes, 01-21 without 03 and 20.
        assert [r.code for r in register.regions_of(year)] == [*mainland, "21"], year
    east = {r.code: (r.name_fi, r.name_sv) for r in register.regions_of(2009)}
    assert east["20"] == ("Itä-Uusimaa", "Östra Nyland")
    assert east["21"] == ("Ahvenanmaa", "Åland")


def test_regions_agree_with_an_independent_2005_list_and_the_moves(register: Register) -> None:
    """Second source for every region of every year: the 2005 list of rOpenGov/sorvi (S4,
    transcribed in data/register/crosscheck_regions_2005.csv), carried forward by the dated
    region moves of changes.csv. Municipalities formed after 2005 are not on it."""
    text = (REGISTER_DIR / "crosscheck_regions_2005.csv").read_text(encoding="utf-8")
    region_2005 = dict(line.split(",") for line in text.splitlines()[1:])
    assert len(region_2005) == 432
    moves = sorted((c for c in register.changes if c.kind == "region_move"), key=lambda c: c.date)
    checked = 0
    for m in register.municipalities:
        if m.code not in region_2005:
            continue
        expected = region_2005[m.code]
        for move in moves:
            if move.from_code == m.code and move.date.year <= m.year:
                assert move.from_region_code == expected, move
                expected = move.to_region_code
        assert m.region_code == expected, m
        checked += 1
    not_on_2005_list = {m.code for m in register.municipalities} - set(region_2005)
    # Formed 2007-2011: Akaa, Kemiönsaari, Länsi-Turunmaa/Parainen, Mänttä-Vilppula, Raasepori,
    # Sastamala, Siikalatva, Vöyri-Maksamaa, Vöyri.
    assert not_on_2005_list == {"020", "322", "445", "508", "710", "790", "791", "945", "946"}
    assert checked > 5000


def _crosscheck(name: str) -> list[dict[str, str]]:
    with (REGISTER_DIR / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_mergers_agree_with_statistics_finlands_list_of_abolished_municipalities(
    register: Register,
) -> None:
    """Second source for every merger up to 2022: Statistics Finland's "Lakkautetut kunnat
    vuoteen 2022 asti" (rOpenGov/sorvi, inst/extdata/; crosscheck_abolished_2009_2022.csv).
    Same dates, codes and Finnish names both ways, 2010-2022."""
    abolished = {
        (row["date"], row["from_code"], row["from_name_fi"], row["to_code"], row["to_name_fi"])
        for row in _crosscheck("crosscheck_abolished_2009_2022.csv")
        if row["date"] >= "2010"
    }
    mergers = {
        (c.date.isoformat(), c.from_code, c.from_name_fi, c.to_code, c.to_name_fi)
        for c in register.changes
        if c.kind == "merger" and c.date.year <= 2022
    }
    assert len(mergers) == 40
    assert mergers == abolished


def test_mergers_of_1_january_2009_are_before_the_register(register: Register) -> None:
    """The same list dates 73 abolitions (Eno, Pyhäselkä and the rest) on 1.1.2009: in force in
    the register of 2009, so none of them is in it, and every successor is."""
    rows = [r for r in _crosscheck("crosscheck_abolished_2009_2022.csv") if r["date"] < "2010"]
    assert len(rows) == 73 and all(row["date"] == "2009-01-01" for row in rows)
    for row in rows:
        assert register.municipality(2009, row["from_code"]) is None, row
        assert register.municipality(2009, row["to_code"]).name_fi == row["to_name_fi"], row


def test_renames_agree_with_statistics_finlands_list_of_name_changes(register: Register) -> None:
    """Statistics Finland's "Kuntien nimenmuutokset vuoteen 2022 asti" (sorvi; the file
    crosscheck_renames_2009_2022.csv): one Finnish rename, Länsi-Turunmaa to Parainen on
    1.1.2012 (changes.csv has it), and 24 Swedish names given on 1.11.2020, which the key of 2020
    already carries (and no other Swedish name differs between the keys of 2019 and 2020). The
    one spelling that differs is Hartola's: "Gustaf Adolfs" in the list, "Gustav Adolfs" in every
    key 2020-2026 and in Statistics Finland's 2022 table."""
    rows = _crosscheck("crosscheck_renames_2009_2022.csv")
    before_2020 = {m.code: m.name_sv for m in register.municipalities_of(2019)}
    finnish = [r for r in rows if r["old_name_fi"] != r["new_name_fi"]]
    assert [(r["date"], r["municipality_code"], r["new_name_fi"]) for r in finnish] == [
        (c.date.isoformat(), c.to_code, c.to_name_fi)
        for c in register.changes
        if c.kind == "rename"
    ]
    swedish = [r for r in rows if r["old_name_fi"] == r["new_name_fi"]]
    assert len(swedish) == 24 and {r["date"] for r in swedish} == {"2020-11-01"}
    assert {r["municipality_code"] for r in swedish} == {
        m.code for m in register.municipalities_of(2020) if m.name_sv != before_2020[m.code]
    }
    for row in swedish:
        code = row["municipality_code"]
        assert register.municipality(2019, code).name_sv == row["old_name_sv"], row
        expected = "Gustav Adolfs" if row["new_name_sv"] == "Gustaf Adolfs" else row["new_name_sv"]
        for year in (2020, 2021):
            assert register.municipality(year, code).name_sv == expected, row


def test_region_moves_and_renames_are_all_in_the_change_list(register: Register) -> None:
    """Between any two years, a municipality whose region or Finnish name differs has a dated
    region move or rename in changes.csv (the keys give 2013-2026 independently of it)."""
    for year in register.years()[1:]:
        before = {m.code: m for m in register.municipalities_of(year - 1)}
        moved, renamed = set(), set()
        for m in register.municipalities_of(year):
            if m.code in before and m.region_code != before[m.code].region_code:
                moved.add(m.code)
            if m.code in before and m.name_fi != before[m.code].name_fi:
                renamed.add(m.code)
        dated = [c for c in register.changes if c.date.year == year]
        assert moved == {c.from_code for c in dated if c.kind == "region_move"}, year
        assert renamed == {c.from_code for c in dated if c.kind == "rename"}, year


# Municipalities per region in 2023, as printed by rOpenGov's geofi vignette from its
# municipality_key_2023, which it builds from Statistics Finland's classification API (S56):
# `count(maakunta_code, ...)` gives 19 rows, Uusimaa 26 ... Ahvenanmaa 16, 309 in all. A separate
# derivation from this register's, so a municipality in the wrong region in 2023 shows up here.
REGION_COUNTS_2023 = {
    "01": 26, "02": 27, "04": 16, "05": 11, "06": 23, "07": 10, "08": 6, "09": 9, "10": 12,
    "11": 19, "12": 13, "13": 22, "14": 18, "15": 14, "16": 8, "17": 30, "18": 8, "19": 21,
    "21": 16,
}  # fmt: skip


def test_municipalities_per_region_2023_agree_with_a_second_source(register: Register) -> None:
    assert sum(REGION_COUNTS_2023.values()) == 309
    found = Counter(m.region_code for m in register.municipalities_of(2023))
    assert dict(found) == REGION_COUNTS_2023


def test_every_row_has_a_three_digit_code_and_both_names(register: Register) -> None:
    for m in register.municipalities:
        assert len(m.code) == 3 and m.code.isdigit(), m
        assert m.name_fi.strip() and m.name_sv.strip(), m
        assert len(m.region_code) == 2 and m.region_code.isdigit(), m


# Sub-regions (seutukunnat) -----------------------------------------------------------------------


# Where the register gives sub-regions, (year, region) by (year, region): Statistics Finland's
# keys for all of Finland in 2013-2026 (data/register/keys/, from rOpenGov/geofi; 2025 also S1)
# and 2009 for Etelä-Savo (S24-S29). 2009's other regions and 2010-2012 stay blank: no key covers
# them and no source confirms them.
KEY_YEARS = range(2013, 2027)


def _sub_regions_known(register: Register) -> set[tuple[int, str]]:
    return {(2009, "10")} | {
        (year, r.code) for year in KEY_YEARS for r in register.regions_of(year)
    }


def test_sub_regions_are_known_region_by_region(register: Register) -> None:
    """Within a year and region every municipality has its sub-region, or none has: a blank
    means "not known", never "this one has none" (coverage by plan scope relies on that)."""
    filled: dict[tuple[int, str], set[bool]] = {}
    for m in register.municipalities:
        filled.setdefault((m.year, m.region_code), set()).add(bool(m.sub_region_code))
    assert all(len(states) == 1 for states in filled.values())
    assert {key for key, states in filled.items() if states == {True}} == _sub_regions_known(
        register
    )


def test_a_sub_region_code_begins_with_its_region_code(register: Register) -> None:
    """Statistics Finland builds the 3-digit sub-region code from the 2-digit region code
    (2025 in S1: 011 Helsinki in 01 ... 213 Ålands skärgård in 21; 2009: 101, 103, 105 in 10)."""
    rows = [m for m in register.municipalities if m.sub_region_code]
    assert len(rows) == 17 + sum(len(register.municipalities_of(year)) for year in KEY_YEARS)
    for m in rows:
        assert len(m.sub_region_code) == 3 and m.sub_region_code.isdigit(), m
        assert m.sub_region_code[:2] == m.region_code, m


@pytest.mark.parametrize(
    ("year", "regions", "published"),
    [
        # S1 (kunta_1_20250101#seutukunta_1_20250101): 69 sub-regions; S30: "divided into 69".
        (2025, (), 69),
        # S37: a 2019 table query lists 70 sub-region codes, 151 Kyrönmaa among them.
        (2019, (), 70),
        # S38: the 69 codes of 2021 (Kyrönmaa ended with the region moves of 1.1.2021, S8).
        (2021, (), 69),
        # S25: Pieksämäki one of three in Etelä-Savo; S34: still three on 1.1.2013.
        (2013, ("10",), 3),
        # S25: Pieksämäki "eine von drei Verwaltungsgemeinschaften ... Südsavo" from 2009.
        (2009, ("10",), 3),
        # S31 (English Wikipedia, South Savo): Mikkeli, Pieksämäki and Savonlinna sub-regions.
        (2025, ("10",), 3),
    ],
)
def test_number_of_sub_regions_against_published_figures(
    register: Register, year: int, regions: tuple[str, ...], published: int
) -> None:
    assert len(register.sub_regions_of(year, regions)) == published


def test_etela_savo_sub_regions_of_2009(register: Register) -> None:
    by_code = {s.code: s for s in register.sub_regions_of(2009, ("10",))}
    # Juvan seutukunta was dissolved at the end of 2008 (S24): Joroinen, Juva and Rantasalmi
    # went to Pieksämäki (S25), Puumala to Mikkeli (S24). Ristiina (696) was still a
    # municipality in Mikkeli's sub-region (S26); Heinävesi, Kerimäki, Punkaharju in Savonlinna's.
    assert (by_code["105"].name_fi, by_code["105"].members) == (
        "Pieksämäki",
        ("171", "178", "593", "681"),
    )
    assert by_code["101"].members == ("097", "213", "491", "507", "588", "623", "696")
    assert by_code["103"].members == ("046", "090", "246", "618", "740", "768")
    assert (by_code["101"].name_sv, by_code["103"].name_sv) == ("S:t Michel", "Nyslott")
    assert "102" not in by_code  # no Juvan seutukunta in 2009


@pytest.mark.parametrize(
    ("code", "in_2009", "in_2025"),
    [
        ("681", "105", "103"),  # Rantasalmi: Pieksämäki in 2009 (S25, S27), Savonlinna in 2025
        ("171", "105", "114"),  # Joroinen: Pieksämäki, then Varkaus (Pohjois-Savo) from 2021
        ("090", "103", "122"),  # Heinävesi: Savonlinna, then Joensuu (Pohjois-Karjala) from 2021
        ("623", "101", "101"),  # Puumala: Mikkeli since Juvan seutukunta ended (S24)
        ("178", "105", "105"),  # Juva: Pieksämäki
    ],
)
def test_known_sub_region_memberships(
    register: Register, code: str, in_2009: str, in_2025: str
) -> None:
    assert register.municipality(2009, code).sub_region_code == in_2009
    assert register.municipality(2025, code).sub_region_code == in_2025


# Pohjois-Savo (11) and Pohjois-Karjala (12) in 2025, by sub-region, as a second source lists
# them: English Wikipedia "Municipalities of North Savo" (19 municipalities, Joroinen among them,
# so 2021 or later) and "Municipalities of North Karelia" (13, Heinävesi in and Valtimo gone, so
# 2021 or later), S43. S1 (Statistics Finland's 2025 key) filled these rows; S43 is a separate
# compilation, so a wrong code or a dropped member in the 2025 rows shows up here.
NORTH_SAVO_AND_KARELIA_2025 = {
    "111": ("140", "239", "263", "402", "595", "762", "925"),  # Iisalmi ... Vieremä (Upper Savonia)
    "112": ("297", "749"),  # Kuopio, Siilinjärvi (also S32: the two since 1.1.2015)
    "113": ("204", "687", "857"),  # Kaavi, Rautavaara, Tuusniemi (also S35)
    "114": ("171", "420", "915"),  # Joroinen, Leppävirta, Varkaus
    "115": ("686", "778", "844", "921"),  # Rautalampi, Suonenjoki, Tervo, Vesanto (Inner Savonia)
    # Joensuu: Heinävesi, Ilomantsi, Joensuu, Juuka, Kontiolahti, Liperi, Outokumpu, Polvijärvi
    "122": ("090", "146", "167", "176", "276", "309", "426", "607"),
    "124": ("260", "707", "848"),  # Kitee, Rääkkylä, Tohmajärvi (also S44, Mittelkarelien)
    "125": ("422", "541"),  # Lieksa, Nurmes (Pielinen Karelia)
}


def test_north_savo_and_karelia_2025_agree_with_a_second_source(register: Register) -> None:
    found = {s.code: s.members for s in register.sub_regions_of(2025, ("11", "12"))}
    assert found == NORTH_SAVO_AND_KARELIA_2025


def test_sub_regions_not_confirmed_stay_blank(register: Register) -> None:
    """2009 outside Etelä-Savo, and all of 2010-2012, are before the first key (2013) and not
    confirmed by a source (SOURCES.md, "Pohjois-Savo (11) and Pohjois-Karjala (12), 1.1.2009:
    still blank"). Copying 2013 back is not safe: memberships changed with the sub-region decision
    of 1.1.2009 (S24, S51) and again before 2013 (Rantasalmi, S34)."""
    assert register.sub_regions_of(2009, ("11", "12")) == []
    for year in (2010, 2011, 2012):
        assert register.sub_regions_of(year) == [], year
    assert register.municipality(2009, "297").sub_region_code == ""


def test_every_municipality_has_a_sub_region_in_the_key_years(register: Register) -> None:
    for year in KEY_YEARS:
        municipalities = register.municipalities_of(year)
        assert all(m.sub_region_code for m in municipalities), year
    assert len([m for m in register.municipalities_of(2026) if m.sub_region_code]) == 308


def test_sub_regions_of_2026_are_those_of_2025(register: Register) -> None:
    """No merger on 1.1.2026 (S2) and the 2026 key moves no municipality between sub-regions."""
    assert register.sub_regions_of(2026) == [
        dataclasses.replace(s, year=2026) for s in register.sub_regions_of(2025)
    ]


@pytest.mark.parametrize(
    ("year", "code", "members"),
    [
        # S42: Ylä-Savo (111) on 1.1.2013, all seven members.
        (2013, "111", ("140", "239", "263", "402", "595", "762", "925")),
        # S34: Pieksämäki (105) on 1.1.2013, three members (Rantasalmi had gone to Savonlinna's).
        (2013, "105", ("171", "178", "593")),
        # S32: from 1.1.2015 Kuopio's sub-region is Kuopio and Siilinjärvi (Maaninka merged).
        (2015, "112", ("297", "749")),
        # S15: Juankoski in Koillis-Savo until it joined Kuopio on 1.1.2017.
        (2016, "113", ("174", "204", "687", "857")),
    ],
)
def test_sub_regions_of_the_keys_agree_with_second_sources(
    register: Register, year: int, code: str, members: tuple[str, ...]
) -> None:
    (found,) = [s for s in register.sub_regions_of(year) if s.code == code]
    assert found.members == members


def test_2022_agrees_with_statistics_finlands_2022_table_in_sorvi(register: Register) -> None:
    """A second copy of Statistics Finland's 2022 classification: "Kunnat ja kuntapohjaiset
    aluejaot 2022" (fi/sv/en), kept in rOpenGov/sorvi's inst/extdata/ and cut to these columns in
    crosscheck_municipalities_2022.csv. Every code, name, region and sub-region agrees with the
    register of 2022, which comes from geofi's key."""
    with (REGISTER_DIR / "crosscheck_municipalities_2022.csv").open(encoding="utf-8") as file:
        table = list(csv.DictReader(file))
    assert len(table) == 309
    found = {
        m.code: {
            "municipality_code": m.code,
            "name_fi": m.name_fi,
            "name_sv": m.name_sv,
            "region_code": m.region_code,
            "sub_region_code": m.sub_region_code,
        }
        for m in register.municipalities_of(2022)
    }
    assert found == {row["municipality_code"]: row for row in table}


def test_nothing_changed_on_1_january_2024(register: Register) -> None:
    """S33 (and S54 in Swedish), Statistics Finland's notice "Alueluokitusmuutokset 1.1.2024":
    no merger and no partial merger, 309 municipalities as in 2021-2023, and no change to the
    regions or the sub-regions. So 2024 is 2023 row for row, sub-regions included (both from the
    keys of their years)."""
    before = {m.code: m for m in register.municipalities_of(2023)}
    after = {m.code: m for m in register.municipalities_of(2024)}
    assert len(after) == 309
    assert before.keys() == after.keys()
    for code, m in after.items():
        old = before[code]
        assert (m.name_fi, m.name_sv, m.region_code) == (old.name_fi, old.name_sv, old.region_code)
        assert m.sub_region_code == old.sub_region_code != "", code
    assert not any(c.date == dt.date(2024, 1, 1) for c in register.changes)


def _change(register: Register, kind: str, from_code: str, to_code: str) -> dt.date:
    (change,) = [
        c
        for c in register.changes
        if (c.kind, c.from_code, c.to_code) == (kind, from_code, to_code)
    ]
    return change.date


def test_kuopio_absorbed_karttula_nilsia_maaninka_and_juankoski(register: Register) -> None:
    assert _change(register, "merger", "227", "297") == dt.date(2011, 1, 1)  # Karttula
    assert _change(register, "merger", "534", "297") == dt.date(2013, 1, 1)  # Nilsiä
    assert _change(register, "merger", "476", "297") == dt.date(2015, 1, 1)  # Maaninka
    assert _change(register, "merger", "174", "297") == dt.date(2017, 1, 1)  # Juankoski


def test_mikkeli_absorbed_ristiina_and_suomenniemi_in_2013(register: Register) -> None:
    assert _change(register, "merger", "696", "491") == dt.date(2013, 1, 1)  # Ristiina
    assert _change(register, "merger", "775", "491") == dt.date(2013, 1, 1)  # Suomenniemi
    # Haukivuori (085) had joined Mikkeli before 2009: it is in no register year.
    assert register.municipality(2009, "085") is None


def test_eno_and_pyhaselka_joined_joensuu_before_the_2009_register(register: Register) -> None:
    # Both merged into Joensuu on 1.1.2009 (S5): the register of 1.1.2009 has Joensuu only.
    assert register.municipality(2009, "167") is not None
    assert register.municipality(2009, "045") is None  # Eno
    assert register.municipality(2009, "632") is None  # Pyhäselkä


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("090", "10", "12"),  # Heinävesi: Etelä-Savo -> Pohjois-Karjala
        ("171", "10", "11"),  # Joroinen: Etelä-Savo -> Pohjois-Savo
        ("291", "13", "06"),  # Kuhmoinen: Keski-Suomi -> Pirkanmaa
        ("142", "08", "07"),  # Iitti: Kymenlaakso -> Päijät-Häme
        ("152", "15", "14"),  # Isokyrö: Pohjanmaa -> Etelä-Pohjanmaa
    ],
)
def test_region_moves_of_2021(register: Register, code: str, before: str, after: str) -> None:
    assert register.municipality(2020, code).region_code == before
    assert register.municipality(2021, code).region_code == after
    assert _change(register, "region_move", code, code) == dt.date(2021, 1, 1)


def test_ita_uusimaa_joined_uusimaa_in_2011(register: Register) -> None:
    in_2010 = {m.code for m in register.municipalities_of(2010, ("20",))}
    assert in_2010 == {"018", "407", "434", "504", "616", "638", "753"}
    assert all(register.municipality(2011, code).region_code == "01" for code in in_2010)
    assert len(register.municipalities_of(2009, ("20",))) == 10  # Liljendal, Pernaja, Ruotsinpyhtää


def test_pertunmaa_joined_mantyharju_in_2025(register: Register) -> None:
    assert _change(register, "merger", "588", "507") == dt.date(2025, 1, 1)
    assert register.municipality(2024, "588") is not None
    assert register.municipality(2025, "588") is None


def test_names_follow_the_year(register: Register) -> None:
    assert register.municipality(2011, "445").name_fi == "Länsi-Turunmaa"
    assert register.municipality(2012, "445").name_fi == "Parainen"
    assert register.municipality(2026, "491").name_sv == "S:t Michel"


@pytest.mark.parametrize(
    ("code", "until_2019", "from_2020"),
    [
        ("260", "Kitee", "Kides"),
        ("020", "Akaa", "Ackas"),
        ("081", "Hartola", "Gustav Adolfs"),  # the key ends it with two spaces; trimmed
        ("480", "Marttila", "S:t Mårtens"),
        ("010", "Alavus", "Alavo"),
        ("284", "Koski Tl", "Koskis"),
        ("934", "Vimpeli", "Vindala"),
    ],
)
def test_swedish_names_from_2020_as_the_keys_give_them(
    register: Register, code: str, until_2019: str, from_2020: str
) -> None:
    """Statistics Finland's keys give these municipalities a Swedish name of their own from the
    key of 2020 on; until 2019 the key repeats the Finnish one. (sorvi's list of name changes
    dates them 1.11.2020; the register follows the key of each year, see SOURCES.md.) The
    hand-made years 2009-2012 agree with the key of 2013: the list of name changes has the old
    Swedish name as the Finnish one for all of these."""
    for year in range(2009, 2020):
        assert register.municipality(year, code).name_sv == until_2019, year
    for year in range(2020, 2027):
        assert register.municipality(year, code).name_sv == from_2020, year


def test_swedish_names_that_the_keys_give_in_every_year(register: Register) -> None:
    # Every key 2013-2026; for 2009-2012 also S4 and S5 (Jockis, Laihela), and no change of
    # either name in sorvi's list of name changes 2009-2022.
    for year in range(2009, 2027):
        assert register.municipality(year, "169").name_sv == "Jockis", year  # Jokioinen
        assert register.municipality(year, "399").name_sv == "Laihela", year  # Laihia
    for year in KEY_YEARS:
        assert register.municipality(year, "478").name_fi == "Maarianhamina - Mariehamn", year


def test_alands_region_name_as_the_keys_give_it(register: Register) -> None:
    """The keys of 2013-2018 write region 21 in both languages; 2019-2026 in Finnish only."""
    for year in KEY_YEARS:
        (aland,) = [r for r in register.regions_of(year) if r.code == "21"]
        expected = "Ahvenanmaa - Åland" if year <= 2018 else "Ahvenanmaa"
        assert (aland.name_fi, aland.name_sv) == (expected, "Åland"), year


def test_crosswalk_2009_to_2026_covers_every_2009_municipality_once(register: Register) -> None:
    rows = register.crosswalk(2009, 2026)
    codes_2009 = [m.code for m in register.municipalities_of(2009)]
    assert [r.from_code for r in rows] == codes_2009
    assert Counter(r.from_code for r in rows).most_common(1)[0][1] == 1
    codes_2026 = {m.code for m in register.municipalities_of(2026)}
    assert {r.to_code for r in rows} == codes_2026
    by_code = {r.from_code: r for r in rows}
    assert (by_code["227"].to_code, by_code["227"].to_name_fi) == ("297", "Kuopio")
    assert (by_code["090"].from_region_code, by_code["090"].to_region_code) == ("10", "12")
    assert (by_code["585"].from_region_code, by_code["585"].to_code) == ("20", "434")
    # A chain: Oravainen -> Vöyri (new code 946, 2011); Pertunmaa -> Mäntyharju (2025).
    assert by_code["559"].to_code == "946"
    assert by_code["588"].to_code == "507"


def test_crosswalk_of_a_year_to_itself_is_the_identity(register: Register) -> None:
    rows = register.crosswalk(2013, 2013)
    assert all(r.from_code == r.to_code and r.from_region_code == r.to_region_code for r in rows)


def test_crosswalk_stops_at_the_target_year(register: Register) -> None:
    by_code = {r.from_code: r for r in register.crosswalk(2009, 2012)}
    assert by_code["534"].to_code == "534"  # Nilsiä still on its own until 2013
    assert by_code["227"].to_code == "297"


def test_crosswalk_refuses_going_back(register: Register) -> None:
    with pytest.raises(ValueError, match="forward"):
        register.crosswalk(2026, 2009)


# Wellbeing services counties (hyvinvointialueet) ------------------------------------------------

# Statistics Finland's key of 2023-2026 (data/register/keys/): 21 counties, 01-21, and its two
# areas outside them, 90 Helsinki (the city itself arranges the services) and 91 Åland.
COUNTY_MEMBERS_2026 = {
    "01": 7, "02": 6, "03": 10, "04": 2, "05": 27, "06": 16, "07": 11, "08": 23, "09": 10,
    "10": 6, "11": 9, "12": 11, "13": 19, "14": 13, "15": 22, "16": 18, "17": 14, "18": 8,
    "19": 30, "20": 8, "21": 21, "90": 1, "91": 16,
}  # fmt: skip


def test_every_municipality_has_a_wellbeing_county_from_2023(register: Register) -> None:
    for year in range(2009, 2027):
        municipalities = register.municipalities_of(year)
        if year < 2023:
            assert all(m.wellbeing_county_code == "" for m in municipalities), year
            assert register.wellbeing_counties_of(year) == [], year
            continue
        counties = {c.code for c in register.wellbeing_counties_of(year)}
        assert len(counties) == 23, year
        assert {m.wellbeing_county_code for m in municipalities} == counties, year
    found = Counter(m.wellbeing_county_code for m in register.municipalities_of(2026))
    assert dict(found) == COUNTY_MEMBERS_2026


def test_kuopio_is_in_the_wellbeing_county_of_pohjois_savo(register: Register) -> None:
    for year in range(2023, 2027):
        kuopio = register.municipality(year, "297")
        county = register.wellbeing_county(year, kuopio.wellbeing_county_code)
        assert (county.code, county.name_fi) == ("13", "Pohjois-Savon hyvinvointialue"), year
        assert county.name_sv == "Norra Savolax välfärdsområde"  # the key's trailing space gone
        assert county.name_en == "North Savo wellbeing services county"
    assert register.municipality(2022, "297").wellbeing_county_code == ""


def test_helsinki_and_aland_as_the_key_gives_them(register: Register) -> None:
    """Helsinki belongs to no county (90 Helsingin kaupunki); Åland is outside the reform, and
    the key gives its 16 municipalities 91 Ahvenanmaa."""
    for year in range(2023, 2027):
        assert register.municipality(year, "091").wellbeing_county_code == "90"
        helsinki = register.wellbeing_county(year, "90")
        assert (helsinki.name_fi, helsinki.name_sv) == ("Helsingin kaupunki", "Helsingfors stad")
        aland = {m.wellbeing_county_code for m in register.municipalities_of(year, ("21",))}
        assert aland == {"91"}
        assert register.wellbeing_county(year, "91").name_fi == "Ahvenanmaa"
    # The counties follow the regions: Uusimaa (01) is split into 01-04 and Helsinki's 90, every
    # other region is one county of its own (the regions as moved on 1.1.2021).
    for year in range(2023, 2027):
        by_region: dict[str, set[str]] = {}
        for m in register.municipalities_of(year):
            by_region.setdefault(m.region_code, set()).add(m.wellbeing_county_code)
        assert by_region.pop("01") == {"01", "02", "03", "04", "90"}
        assert all(len(counties) == 1 for counties in by_region.values()), by_region
        assert len(set.union(*by_region.values())) == len(by_region) == 18


# check_municipality: the pure check for response files -----------------------------------------


def test_a_row_that_matches_the_register_has_no_issues(register: Register) -> None:
    assert check_municipality(register, 2009, "297", "11", "Kuopio") == []
    assert check_municipality(register, 2026, "491", "10", "S:t Michel") == []  # Swedish name
    assert check_municipality(register, 2026, "478", "21", "Maarianhamina") == []  # half of it
    assert check_municipality(register, 2026, "091", "01", "  helsinki ") == []
    assert check_municipality(register, 2026, "091", "01", "") == []


def test_an_unknown_code_is_reported_alone(register: Register) -> None:
    assert check_municipality(register, 2026, "227", "99", "Karttula") == [
        RegisterIssue("unknown_code", "municipality_code", "227")
    ]


def test_a_code_in_another_region_is_reported(register: Register) -> None:
    # Heinävesi answered a 2021 wave as if still in Etelä-Savo.
    assert check_municipality(register, 2021, "090", "10", "Heinävesi") == [
        RegisterIssue("wrong_region", "region_code", "10", "12")
    ]


def test_a_different_name_is_reported(register: Register) -> None:
    assert check_municipality(register, 2012, "445", "02", "Länsi-Turunmaa") == [
        RegisterIssue("name_differs", "municipality_name", "Länsi-Turunmaa", "Parainen")
    ]


def test_a_year_without_a_register_is_reported(register: Register) -> None:
    assert check_municipality(register, 2008, "297", "11", "Kuopio") == [
        RegisterIssue("unknown_year", "wave", "2008")
    ]


# Damaged files -------------------------------------------------------------------------------


def _damaged(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _line_of(file: str, text: str) -> int:
    lines = (REGISTER_DIR / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            MUNICIPALITIES_FILE,
            "2009,227,Karttula",
            "2009,27,Karttula",
            "column 2 (municipality_code)",
        ),
        (
            MUNICIPALITIES_FILE,
            "2009,227,Karttula,Karttula",
            "2009,227,,Karttula",
            "column 3 (name_fi)",
        ),
        (
            MUNICIPALITIES_FILE,
            "2009,227,Karttula,Karttula,11",
            "2009,227,Karttula,Karttula,99",
            "column 5 (region_code): no region 99",
        ),
        (
            MUNICIPALITIES_FILE,
            "2009,227,Karttula,Karttula,11,",
            "2009,227,Karttula,Karttula,11,x,",
            "fields",
        ),
        (MUNICIPALITIES_FILE, "2009,227,Karttula", "2009,297,Karttula", "repeats line"),
        (CHANGES_FILE, "2011-01-01,merger,227", "2011-01-31,merger,227", "column 1 (date)"),
        (CHANGES_FILE, "2011-01-01,merger,227", "2011-01-01,fusion,227", "column 2 (kind)"),
        (
            CHANGES_FILE,
            "2011-01-01,merger,227",
            "2012-01-01,merger,227",
            "column 3 (from_code): 227 is not in the register of 2011",
        ),
        (
            CHANGES_FILE,
            "Karttula,297,Kuopio,11,11",
            "Karttula,297,Kuopio,11,10",
            "column 8 (to_region_code): 297 is in region 11",
        ),
        (REGIONS_FILE, "2009,20,Itä-Uusimaa", "2009,20,Itä-Uusimaa,x", "fields"),
        (
            MUNICIPALITIES_FILE,
            "2009,090,Heinävesi,Heinävesi,10,103,Savonlinna,Nyslott",
            "2009,090,Heinävesi,Heinävesi,10,,,",
            "column 6 (sub_region_code): region 10 in 2009 has sub-regions on some lines only",
        ),
        (
            MUNICIPALITIES_FILE,
            "2009,090,Heinävesi,Heinävesi,10,103,Savonlinna,Nyslott",
            "2009,090,Heinävesi,Heinävesi,10,103,Savonlinna,Savonlinna",
            "column 8 (sub_region_sv): sub-region 103 of 2009 differs from line",
        ),
        (
            MUNICIPALITIES_FILE,
            "2009,227,Karttula,Karttula,11,,,,",
            "2009,227,Karttula,Karttula,11,112,Kuopio,Kuopio,",
            "column 6 (sub_region_code): region 11 in 2009 has sub-regions on some lines only",
        ),
        (
            MUNICIPALITIES_FILE,
            "2026,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,13",
            "2026,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,X3",
            "column 9 (wellbeing_county_code): expected a 2-digit wellbeing services county code",
        ),
        (
            MUNICIPALITIES_FILE,
            "2026,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,13",
            "2026,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,99",
            "column 9 (wellbeing_county_code): no wellbeing services county 99",
        ),
        (
            MUNICIPALITIES_FILE,
            "2026,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,13",
            "2026,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,",
            "column 9 (wellbeing_county_code): 2026 has wellbeing services counties on some lines",
        ),
        (
            MUNICIPALITIES_FILE,
            "2022,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,",
            "2022,297,Kuopio,Kuopio,11,112,Kuopio,Kuopio,13",
            "column 9 (wellbeing_county_code): no wellbeing services county 13",
        ),
        (
            WELLBEING_COUNTIES_FILE,
            "2026,13,Pohjois-Savon hyvinvointialue",
            "2026,1,Pohjois-Savon hyvinvointialue",
            "column 2 (wellbeing_county_code)",
        ),
        (
            WELLBEING_COUNTIES_FILE,
            "2026,13,Pohjois-Savon hyvinvointialue",
            "2026,92,Tyhjä,Tom,Empty\n2026,13,Pohjois-Savon hyvinvointialue",
            "column 2 (wellbeing_county_code): no municipality of 2026 is in county 92",
        ),
    ],
)
def test_a_damaged_file_names_file_line_and_column(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = _damaged(tmp_path, file, old, new)
    with pytest.raises(RegisterFileError) as raised:
        load_register(folder)
    assert raised.value.file == file
    assert f"line {_line_of(file, old)}" in raised.value.problem
    assert message in raised.value.problem


def test_a_municipality_that_vanishes_without_a_merger_is_named(tmp_path: Path) -> None:
    """Helsinki (091) dropped from 2015: the loader points at its last row (2014), since the
    crosswalk could not follow it anywhere."""
    helsinki_2015 = next(
        line
        for line in (REGISTER_DIR / MUNICIPALITIES_FILE).read_text(encoding="utf-8").splitlines()
        if line.startswith("2015,091,")
    )
    folder = _damaged(tmp_path, MUNICIPALITIES_FILE, helsinki_2015 + "\n", "")
    with pytest.raises(RegisterFileError) as raised:
        load_register(folder)
    assert raised.value.problem == (
        f"line {_line_of(MUNICIPALITIES_FILE, '2014,091,')}, column 2 (municipality_code): "
        f"091 is not in 2015 and no merger in {CHANGES_FILE} says where it went"
    )


def test_a_wrong_header_or_a_missing_file_is_named(tmp_path: Path) -> None:
    folder = _damaged(tmp_path, REGIONS_FILE, "year,region_code", "vuosi,region_code")
    with pytest.raises(RegisterFileError, match="line 1: the header must be"):
        load_register(folder)
    (folder / CHANGES_FILE).unlink()
    (folder / REGIONS_FILE).write_text((REGISTER_DIR / REGIONS_FILE).read_text(encoding="utf-8"))
    with pytest.raises(RegisterFileError) as raised:
        load_register(folder)
    assert (raised.value.file, raised.value.problem) == (CHANGES_FILE, "missing")


# The command line ------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tilannekuva", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=False,
    )


ETELA_SAVO_2009 = (
    "municipality_code,name_fi,name_sv,region_code,sub_region_code,sub_region_fi\r\n"
    "046,Enonkoski,Enonkoski,10,103,Savonlinna\r\n"
    "090,Heinävesi,Heinävesi,10,103,Savonlinna\r\n"
    "097,Hirvensalmi,Hirvensalmi,10,101,Mikkeli\r\n"
    "171,Joroinen,Jorois,10,105,Pieksämäki\r\n"
    "178,Juva,Juva,10,105,Pieksämäki\r\n"
    "213,Kangasniemi,Kangasniemi,10,101,Mikkeli\r\n"
    "246,Kerimäki,Kerimäki,10,103,Savonlinna\r\n"
    "491,Mikkeli,S:t Michel,10,101,Mikkeli\r\n"
    "507,Mäntyharju,Mäntyharju,10,101,Mikkeli\r\n"
    "588,Pertunmaa,Pertunmaa,10,101,Mikkeli\r\n"
    "593,Pieksämäki,Pieksämäki,10,105,Pieksämäki\r\n"
    "618,Punkaharju,Punkaharju,10,103,Savonlinna\r\n"
    "623,Puumala,Puumala,10,101,Mikkeli\r\n"
    "681,Rantasalmi,Rantasalmi,10,105,Pieksämäki\r\n"
    "696,Ristiina,Ristiina,10,101,Mikkeli\r\n"
    "740,Savonlinna,Nyslott,10,103,Savonlinna\r\n"
    "768,Sulkava,Sulkava,10,103,Savonlinna\r\n"
)


def test_register_of_a_year_and_region_through_the_cli() -> None:
    result = run_cli("register", "--year", "2009", "--region", "10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == ETELA_SAVO_2009


def test_register_with_sub_regions(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert cli.main(["register", "--year", "2025", "--region", "11", "--region", "12"]) == 0
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert "297,Kuopio,Kuopio,11,112,Kuopio" in lines
    assert "090,Heinävesi,Heinävesi,12,122,Joensuu" in lines
    # Header, Pohjois-Savo 19 (sub-regions 111-115, S1), Pohjois-Karjala 13 (122, 124, 125).
    assert len(lines) == 1 + 19 + 13


def test_crosswalk_through_the_cli(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert cli.main(["register", "--crosswalk", "2009", "2026"]) == 0
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert lines[0] == "from_code,from_name_fi,from_region_code,to_code,to_name_fi,to_region_code"
    assert len(lines) == 1 + 348
    assert "227,Karttula,11,297,Kuopio,11" in lines
    assert "090,Heinävesi,10,090,Heinävesi,12" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2008"], "unknown year: 2008"),
        (["--crosswalk", "2009", "2030"], "unknown year: 2030"),
        (["--year", "2009", "--region", "99"], "unknown region for 2009: 99"),
        (["--year", "2026", "--region", "20"], "unknown region for 2026: 20"),
        (["--crosswalk", "2026", "2009"], "goes forward"),
        (["--crosswalk", "2009", "2026", "--region", "10"], "--region goes with --year"),
        ([], "give --year YEAR or --crosswalk"),
        (["--year", "2009", "--crosswalk", "2009", "2026"], "give --year YEAR or --crosswalk"),
        (["--year", "kaksi"], "invalid int value"),
    ],
)
def test_bad_register_arguments_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # In-process: the entry point itself is exercised by the subprocess tests above.
    assert cli.main(["register", *args]) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert out == ""


def test_an_unknown_year_through_the_entry_point() -> None:
    result = run_cli("register", "--year", "2008")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "error: unknown year: 2008 (the register has 2009-2026)"
    ]
    assert result.stdout == b""


def test_a_damaged_register_exits_1_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _damaged(tmp_path, MUNICIPALITIES_FILE, "2009,227,Karttula", "2009,27,Karttula")
    # The CLI imports the register when the command runs (issue #9: no import it does not need).
    monkeypatch.setattr(register_module, "load_register", lambda: load_register(folder))
    assert cli.main(["register", "--year", "2009"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: data file {MUNICIPALITIES_FILE}: line ")
    assert "column 2 (municipality_code)" in err[0]
