"""Tests of the GDELT GKG 2.1 export: 27 columns, GDELT's cell formats (no model)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from corpus_records import build_store
from newsgraph.export import write_gkg
from newsgraph.export.gkg import COLUMNS, fips, location
from newsgraph.models import Place


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    out = io.StringIO()
    with build_store(tmp_path_factory.mktemp("gkg") / "a.db") as store:
        assert write_gkg(store, out) == 5
    text = out.getvalue()
    lines = text.splitlines()
    assert len(lines) == 5 and text.endswith("\n")
    parsed = [line.split("\t") for line in lines]
    assert all(len(cells) == 27 for cells in parsed)
    return {cells[4].rsplit("/", 1)[-1] if cells[2] == "1" else cells[4]: cells for cells in parsed}


def col(cells: list[str], name: str) -> str:
    return cells[COLUMNS.index(name)]


def test_record_ids_dates_and_sources(rows: dict[str, list[str]]) -> None:
    geneva = rows["26044"]
    assert re.fullmatch(r"20220111000000-\d+", col(geneva, "GKGRECORDID"))
    assert col(geneva, "V2.1DATE") == "20220111000000"
    assert col(geneva, "V2SOURCECOLLECTIONIDENTIFIER") == "1"
    assert col(geneva, "V2SOURCECOMMONNAME") == "ansarpress.com"
    assert col(geneva, "V2DOCUMENTIDENTIFIER") == "https://www.ansarpress.com/english/26044"
    harbour = rows["harbour"]  # no URL: a citation
    assert col(harbour, "V2SOURCECOLLECTIONIDENTIFIER") == "2"
    assert col(geneva, "V2EXTRASXML") == "<PAGE_TITLE>Kremlin sees no reason for optimism</PAGE_TITLE>"
    assert col(geneva, "V1.5TONE") == ""  # tone is not computed


def test_persons_and_organisations(rows: dict[str, list[str]]) -> None:
    geneva, copy = rows["26044"], rows["russia-nato"]
    assert col(geneva, "V1PERSONS") == "Dmitry Peskov;Wendy Sherman;Sergei Ryabkov"
    assert col(copy, "V1PERSONS").split(";")[0] == "Dmitry Peskov"  # the corpus-linked name
    enhanced = col(geneva, "V2ENHANCEDPERSONS").split(";")
    assert all(re.fullmatch(r"[^,;#]+,\d+", cell) for cell in enhanced)
    assert enhanced[0] == "Dmitry Peskov,18"
    orgs = col(rows["brussels"], "V1ORGANIZATIONS").split(";")
    assert orgs == ["NATO"]  # "North Atlantic Treaty Organization" and "NATO" are one actor
    assert all(re.fullmatch(r"[^,;#]+,\d+", c) for c in col(geneva, "V2.1ALLNAMES").split(";"))


def test_quotations(rows: dict[str, list[str]]) -> None:
    cells = col(rows["26044"], "V2.1QUOTATIONS").split("#")
    assert len(cells) == 1  # direct and mixed quotes only, not indirect speech
    offset, length, verb, quote = cells[0].split("|")
    assert (int(length), verb, quote) == (
        len(quote),
        "said",
        "We see no real reason to be optimistic so far,",
    )
    assert int(offset) > 0


def test_locations(rows: dict[str, list[str]]) -> None:
    geneva = col(rows["26044"], "V1LOCATIONS").split(";")
    assert geneva == ["4#Geneva, Switzerland#SZ#SZGE#46.2022#6.1457#2660646"]
    v2 = col(rows["26044"], "V2ENHANCEDLOCATIONS").split(";")
    assert all(len(cell.split("#")) == 9 for cell in v2)
    assert v2[0].startswith("4#Geneva, Switzerland#SZ#SZGE##46.2022#6.1457#2660646#")
    clinton = col(rows["clinton"], "V1LOCATIONS").split(";")
    assert clinton[0] == "2#Iowa, United States#US#USIA###USIA"
    assert clinton[1].startswith("3#Des Moines, Iowa, United States#US#USIA#41.6005#-93.6091#")


def test_enhanced_dates(rows: dict[str, list[str]]) -> None:
    assert re.fullmatch(r"3#1#10#2022#\d+", col(rows["26044"], "V2.1ENHANCEDDATES"))


@pytest.mark.parametrize(
    ("iso", "code"), [("GB", "UK"), ("DE", "GM"), ("CH", "SZ"), ("US", "US"), (None, None)]
)
def test_fips(iso: str | None, code: str | None) -> None:
    assert fips(iso) == code


def test_places_without_country_are_not_located() -> None:
    assert location(Place(name="Middle East", kind="region")) is None
    assert location(Place(name="Britain", country="GB", kind="country")) == (
        "1",
        "United Kingdom",
        "UK",
        "UK",
        "",
        "",
        "",
        "UK",
    )


def test_the_csv_module_reads_it(rows: dict[str, list[str]], tmp_path: Path) -> None:
    path = tmp_path / "gkg.csv"
    path.write_text("".join("\t".join(r) + "\n" for r in rows.values()), encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as stream:
        read = list(csv.reader(stream, delimiter="\t"))
    assert [len(r) for r in read] == [27] * 5


def test_pandas_reads_27_columns(rows: dict[str, list[str]], tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "gkg.csv"
    path.write_text("".join("\t".join(r) + "\n" for r in rows.values()), encoding="utf-8")
    frame = pandas.read_csv(path, sep="\t", header=None)
    assert frame.shape == (5, 27)
