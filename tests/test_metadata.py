"""Tests of govreports.metadata: report metadata from the text, and report slugs.

The expected values of the 30 sample reports were read off the texts by hand (title line, dateline,
speaker line, review heading). Crafted texts cover the national report, a province, a county, a
代市长, a report without dateline, a five-year review, ambiguous and renamed place names; datelines
and dates that must not be read (standing committee, nearby dates, glued years, sessions in
sentences, adoption wordings) and speaker lines whose office word is part of another word.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from govreports.clean import clean_text
from govreports.metadata import METADATA_KEYS, bare_name, chinese_year, extract_metadata, report_slug
from govreports.read import read_raw
from govreports.structure import parse_sections

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@lru_cache(maxsize=None)
def meta_of_file(relative: str) -> dict:
    text = clean_text(read_raw(RAW / relative).raw).text
    return extract_metadata(text, parse_sections(text))


def meta_of(text: str) -> dict:
    return extract_metadata(text, parse_sections(text))


# --------------------------------------------------------------------------------------------------
# real reports — values read by hand
# --------------------------------------------------------------------------------------------------
COLUMNS = ("region_name", "region_level", "province_name", "parent_name", "region_code", "report_year",
           "review_year", "delivered_date", "speaker_name", "speaker_title", "congress_session",
           "is_term_review")
ZMD = ("驻马店市", "prefecture", "河南省", "河南省", "411700")


def s(term: str, session: str) -> str:
    return f"第{term}届人民代表大会第{session}次会议"


EXPECTED = {
    "seeds/000_b814d5e228ecd0c6.txt": ("景德镇市", "prefecture", "江西省", "江西省", "360200", 2022, 2021,
                                       "2022-01-23", "胡雪梅", "市长", s("十六", "二"), False),
    "seeds/001_5bcefcfac6cb166c.txt": ("醴陵市", "county_city", "湖南省", "株洲市", "430281", 2023, 2022,
                                       "2023-01-05", "刘新华", "市长", s("十七", "三"), False),
    "seeds/002_2765e964e35d9ca5.txt": ("青云谱区", "district", "江西省", "南昌市", "360104", 2020, 2019,
                                       "2020-05-22", "吴江辉", "区长", s("十六", "五"), False),
    "seeds/003_727519bda47afc6d.txt": ("镇江市", "prefecture", "江苏省", "江苏省", "321100", 2022, 2021,
                                       "2022-03-01", "徐曙海", "市长", s("九", "一"), True),
    "seeds/004_e664ad1d297de98d.txt": ("浔阳区", "district", "江西省", "九江市", "360403", 2024, 2023,
                                       "2024-01-20", "周荣卿", "区长", s("十一", "四"), False),
    # no dateline, no speaker line: region from the body, years from the headings
    "zhumadian/2002_二00二年政府工作报告.txt": ZMD + (2002, 2001, None, None, None, None, False),
    "zhumadian/2003_二00三年政府工作报告.txt": ZMD + (2003, 2002, None, None, None, None, False),
    "zhumadian/2004_二00四年政府工作报告.txt": ZMD + (2004, 2003, None, None, None, None, False),
    "zhumadian/2005_二00五年政府工作报告.txt": ZMD + (2005, 2004, None, None, None, None, False),
    "zhumadian/2006_二00六年政府工作报告.txt": ZMD + (2006, 2005, None, None, None, None, False),
    "zhumadian/2007_二00七年政府工作报告.txt": ZMD + (2007, 2006, None, None, None, None, True),
    "zhumadian/2008_二00八年政府工作报告.txt": ZMD + (2008, 2007, None, None, None, None, False),
    "zhumadian/2009_二00九年政府工作报告.txt": ZMD + (2009, 2008, None, None, None, None, False),
    "zhumadian/2010_二0一0年政府工作报告.txt": ZMD + (2010, 2009, None, None, None, None, False),
    # the file names and scraper headers say 2014 for these three: the text says otherwise
    "zhumadian/2014_二O一一年政府工作报告.txt": ZMD + (2011, 2010, None, None, None, None, True),
    "zhumadian/2014_二O一二年政府工作报告.txt": ZMD + (2012, 2011, None, None, None, None, True),
    "zhumadian/2014_二O一三年政府工作报告.txt": ZMD + (2013, 2012, None, None, None, None, False),
    "zhumadian/2014_二O一四年政府工作报告.txt": ZMD + (2014, 2013, "2014-02-19", "武国定", "市长", s("三", "五"), False),
    # "2015年4月20日…会议通过": the adoption date, not the delivery date
    "zhumadian/2015_二O一五年政府工作报告.txt": ZMD + (2015, 2014, None, "陈星", "市长", s("三", "六"), False),
    "zhumadian/2016_二O一六年政府工作报告.txt": ZMD + (2016, 2015, "2016-02-25", "陈星", "市长", s("三", "七"), True),
    "zhumadian/2017_二O一七年政府工作报告.txt": ZMD + (2017, 2016, "2017-06-13", "陈星", "市长", s("四", "一"), True),
    "zhumadian/2018_二O一八年政府工作报告.txt": ZMD + (2018, 2017, "2018-02-24", "朱是西", "市长", s("四", "三"), False),
    "zhumadian/2019_二O一九年政府工作报告.txt": ZMD + (2019, 2018, "2019-02-22", "朱是西", "市长", s("四", "四"), False),
    "zhumadian/2020_二O二O年政府工作报告.txt": ZMD + (2020, 2019, "2020-05-10", "朱是西", "市长", s("四", "六"), False),
    "zhumadian/2021_二O二一年政府工作报告.txt": ZMD + (2021, 2020, "2021-02-27", "朱是西", "市长", s("四", "七"), True),
    "zhumadian/2022_二0二二年政府工作报告.txt": ZMD + (2022, 2021, "2022-03-02", "李跃勇", "市长", s("四", "九"), False),
    "zhumadian/2023_二0二三年政府工作报告.txt": ZMD + (2023, 2022, "2023-01-04", "李跃勇", "市长", s("五", "一"), True),
    "zhumadian/2024_二0二四年政府工作报告.txt": ZMD + (2024, 2023, "2024-02-21", "李跃勇", "市长", s("五", "二"), False),
    "zhumadian/2025_二0二五年政府工作报告.txt": ZMD + (2025, 2024, "2025-02-21", "李跃勇", "市长", s("五", "三"), False),
    "zhumadian/2026_二0二六年政府工作报告.txt": ZMD + (2026, 2025, "2026-02-28", "王玲", "代市长", s("五", "四"), True),
}


def test_expected_table_covers_every_sample_report():
    files = sorted(str(p.relative_to(RAW)) for p in RAW.rglob("*.txt"))
    assert sorted(EXPECTED) == files


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_real_report_metadata(relative):
    meta = meta_of_file(relative)
    assert set(meta) == set(METADATA_KEYS)
    got = tuple(meta[c] for c in COLUMNS)
    assert dict(zip(COLUMNS, got)) == dict(zip(COLUMNS, EXPECTED[relative]))


@pytest.mark.parametrize("relative,title", [
    ("seeds/000_b814d5e228ecd0c6.txt", "景德镇市政府工作报告"),
    ("seeds/001_5bcefcfac6cb166c.txt", "2023年醴陵市政府工作报告"),
    ("seeds/002_2765e964e35d9ca5.txt", None),   # the page has no title line
    ("zhumadian/2002_二00二年政府工作报告.txt", None),   # only the scraper header names it
    ("zhumadian/2022_二0二二年政府工作报告.txt", "政府工作报告"),
])
def test_real_titles(relative, title):
    assert meta_of_file(relative)["title"] == title


@pytest.mark.parametrize("relative,slug", [
    ("seeds/000_b814d5e228ecd0c6.txt", "jingdezhen-2022"),
    ("seeds/002_2765e964e35d9ca5.txt", "qingyunpu-2020"),
    ("seeds/001_5bcefcfac6cb166c.txt", "liling-2023"),
    ("zhumadian/2002_二00二年政府工作报告.txt", "zhumadian-2002"),
    ("zhumadian/2014_二O一二年政府工作报告.txt", "zhumadian-2012"),
])
def test_real_slugs(relative, slug):
    assert report_slug(meta_of_file(relative)) == slug


# --------------------------------------------------------------------------------------------------
# crafted reports
# --------------------------------------------------------------------------------------------------
BODY = "一、2023年工作回顾\n过去一年，经济增长5%。\n二、2024年重点工作\n今年是关键之年。抓好项目。\n"

NATIONAL = (
    "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强\n各位代表：\n"
    "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n"
    "一、2023年工作回顾\n过去一年，经济回升向好。\n二、2024年经济社会发展总体要求和政策取向\n今年发展主要预期目标是：国内生产总值增长5%左右。\n"
    "三、2024年政府工作任务\n扩大内需。\n"
)


def test_national_report():
    meta = meta_of(NATIONAL)
    assert meta["region_name"] == "中华人民共和国"
    assert meta["region_level"] == "national"
    assert meta["province_name"] is None and meta["parent_name"] is None and meta["region_code"] is None
    assert meta["speaker_title"] == "总理" and meta["speaker_name"] == "李强"
    assert meta["congress_session"] == "第十四届全国人民代表大会第二次会议"
    assert meta["delivered_date"] == "2024-03-05"
    assert (meta["report_year"], meta["review_year"]) == (2024, 2023)
    assert report_slug(meta) == "china-2024"


def test_province_report():
    text = "政府工作报告\n——2024年1月21日在河南省第十四届人民代表大会第二次会议上\n河南省省长 王凯\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert (meta["region_name"], meta["region_level"], meta["province_name"], meta["parent_name"],
            meta["region_code"]) == ("河南省", "province", "河南省", None, "410000")
    assert (meta["speaker_name"], meta["speaker_title"]) == ("王凯", "省长")
    assert report_slug(meta) == "henan-2024"


def test_province_report_short_dateline_takes_the_name_from_the_title():
    text = "2023年广西壮族自治区政府工作报告\n——2023年1月12日在自治区十四届人大一次会议上\n自治区主席 蓝天立\n各位代表：\n" + BODY.replace("2023年工作回顾", "2022年工作回顾").replace("2024年", "2023年")
    meta = meta_of(text)
    assert meta["region_name"] == "广西壮族自治区" and meta["region_level"] == "province"
    assert meta["congress_session"] == "第十四届人民代表大会第一次会议"
    assert meta["report_year"] == 2023
    assert report_slug(meta) == "guangxi-2023"


@pytest.mark.parametrize(
    ("region_name", "slug"),
    [
        ("漯河市", "luohe-2021"),  # pypinyin alone reads 漯 as tà
        ("长治市", "changzhi-2021"),  # 长 zhǎng in everyday words
        ("长子县", "zhangzi-2021"),  # … but this county does read zhǎng
        ("成都市", "chengdu-2021"),
        ("丰都县", "fengdu-2021"),  # 都 dōu in everyday words
        ("朝阳市", "chaoyang-2021"),
        ("六合区", "luhe-2021"),
        ("六盘水市", "liupanshui-2021"),
        ("涡阳县", "guoyang-2021"),
    ],
)
def test_report_ids_spell_place_names_with_their_place_name_readings(region_name, slug):
    assert report_slug({"region_name": region_name, "report_year": 2021}) == slug


def test_county_report_with_acting_head_and_chinese_numeral_date():
    text = (
        "正阳县人民政府工作报告\n——二〇二三年一月六日在正阳县第十七届人民代表大会第三次会议上\n"
        "正阳县人民政府代县长 李明\n各位代表：\n" + BODY.replace("2023年工作回顾", "2022年工作回顾").replace("2024年", "2023年")
    )
    meta = meta_of(text)
    assert (meta["region_name"], meta["region_level"], meta["province_name"], meta["parent_name"],
            meta["region_code"]) == ("正阳县", "county", "河南省", "驻马店市", "411724")
    assert (meta["speaker_name"], meta["speaker_title"]) == ("李明", "代县长")
    assert meta["delivered_date"] == "2023-01-06"
    assert (meta["report_year"], meta["review_year"]) == (2023, 2022)


def test_ascii_punctuation_and_short_dateline():
    text = "景德镇市政府工作报告\n--2022年1月23日在市十六届人大二次会议上\n市长 胡雪梅\n各位代表:\n" + BODY.replace("2023年工作回顾", "2021年工作回顾").replace("2024年", "2022年")
    meta = meta_of(text)
    assert meta["congress_session"] == "第十六届人民代表大会第二次会议"
    assert meta["region_name"] == "景德镇市" and meta["delivered_date"] == "2022-01-23"


def test_report_without_dateline_gets_years_from_headings_and_not_from_the_scraper_header():
    text = (
        "标题：二O一四年政府工作报告\n年份：2014\n各位代表：现在，我代表市人民政府，向大会作工作报告。\n"
        "一、2010年政府工作回顾\n过去的一年，我市经济增长。\n二、2011年发展目标和重点工作\n2011年是开局之年。\n"
    )
    meta = meta_of(text)
    assert (meta["report_year"], meta["review_year"]) == (2011, 2010)
    assert meta["delivered_date"] is None and meta["speaker_name"] is None and meta["title"] is None
    assert meta["region_name"] is None   # no place is named at all: unknown, not guessed
    assert report_slug(meta) is None


@pytest.mark.parametrize(
    ("review_opening", "review_year"),
    [("2017年，全市经济平稳增长。", 2017), ("刚刚过去的2017年，我们迎难而上。", 2017), ("过去一年，经济平稳增长。", None)],
)
def test_years_from_the_words_that_open_the_review_and_the_plan_when_headings_name_none(review_opening, review_year):
    # headings without years: the opening "YYYY年，" of the review and "YYYY年是" of the plan are
    # the only evidence (each right after its heading, not at the start of the whole text)
    text = (
        "各位代表：现在，我代表市人民政府，向大会作工作报告。\n一、过去一年工作回顾\n" + review_opening + "\n"
        "二、今年工作安排\n2018年是全面贯彻党的十九大精神的开局之年。\n"
    )
    meta = meta_of(text)
    assert meta["report_year"] == 2018
    # without a stated review year, a report with a review section reviews the year before
    assert meta["review_year"] == (review_year or 2017)


def test_a_year_stated_later_in_the_plan_section_is_no_evidence():
    text = "各位代表：\n一、过去一年工作回顾\n经济平稳增长。\n二、今年工作安排\n抓项目。2018年是开局之年。\n"
    meta = meta_of(text)
    assert meta["report_year"] is None and meta["review_year"] is None


def test_region_from_body_mentions_needs_repetition():
    head = "各位代表：现在，我代表市人民政府，向大会作工作报告。\n一、2001年工作回顾\n"
    tail = "\n二、2002年政府主要工作\n抓项目。\n"
    once = meta_of(head + "我市经济增长，驻马店发展加快。" + tail)
    assert once["region_name"] is None
    twice = meta_of(head + "我市经济增长，驻马店发展加快，上蔡、西平两县增长较快，共图驻马店振兴大业。" + tail)
    assert twice["region_name"] == "驻马店市" and twice["region_code"] == "411700"
    assert (twice["report_year"], twice["review_year"]) == (2002, 2001)


def test_years_in_chinese_numerals():
    assert [chinese_year(x) for x in ["二〇二一", "二O二一", "二0二一", "二00二", "2019", "二〇"]] == [
        2021, 2021, 2021, 2002, 2019, None]


@pytest.mark.parametrize("heading,term", [
    ("本届政府工作回顾", True),
    ("过去五年工作回顾", True),
    ("“十三五”时期工作回顾", True),
    ("2020年工作回顾及“十三五”主要成就", True),
    ("2023年工作回顾", False),
])
def test_term_review(heading, term):
    text = "政府工作报告\n——2021年2月27日在某市第四届人民代表大会第七次会议上\n市长 张三\n各位代表：\n" + (
        f"一、{heading}\n五年来，经济增长。\n二、2021年重点工作\n抓项目。\n")
    assert meta_of(text)["is_term_review"] is term


def test_no_review_section_leaves_term_review_missing():
    text = "政府工作报告\n各位代表：\n一、2021年重点工作\n抓项目。\n二、加强政府自身建设\n依法行政。\n"
    assert meta_of(text)["is_term_review"] is None


def test_ambiguous_district_is_not_guessed():
    text = "鼓楼区人民政府工作报告\n——2023年1月10日在鼓楼区第二届人民代表大会第三次会议上\n区长 张三\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert meta["region_name"] == "鼓楼区" and meta["region_level"] == "district"
    assert meta["province_name"] is None and meta["parent_name"] is None and meta["region_code"] is None


def test_ambiguous_district_resolved_by_the_text():
    text = "南京市鼓楼区人民政府工作报告\n——2023年1月10日在鼓楼区第二届人民代表大会第三次会议上\n区长 张三\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert (meta["province_name"], meta["parent_name"], meta["region_code"]) == ("江苏省", "南京市", "320106")


def test_chaoyang_district_and_city_are_different_places():
    district = meta_of("北京市朝阳区政府工作报告\n——2024年1月8日在北京市朝阳区第十七届人民代表大会第四次会议上\n区长 张三\n各位代表：\n" + BODY)
    assert (district["region_name"], district["province_name"], district["region_code"]) == ("朝阳区", "北京市", "110105")
    city = meta_of("朝阳市政府工作报告\n——2024年1月8日在朝阳市第十七届人民代表大会第四次会议上\n市长 张三\n各位代表：\n" + BODY)
    assert (city["region_name"], city["region_level"], city["province_name"], city["region_code"]) == (
        "朝阳市", "prefecture", "辽宁省", "211300")


def test_renamed_place_keeps_its_name_without_crashing():
    # 襄樊市 was renamed 襄阳市 in 2010: not in the division table
    text = "襄樊市政府工作报告\n——2008年2月20日在襄樊市第十四届人民代表大会第二次会议上\n市长 张三\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert meta["region_name"] == "襄樊市"
    assert meta["region_code"] is None and meta["province_name"] is None
    assert meta["region_level"] is None   # a 市长 may head a prefecture or a county-level city
    assert report_slug(meta) == "xiangfan-2024"


def test_former_name_in_the_table_resolves():
    text = "莱芜市政府工作报告\n——2017年1月10日在莱芜市第十七届人民代表大会第一次会议上\n市长 张三\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert (meta["region_level"], meta["province_name"], meta["region_code"]) == ("prefecture", "山东省", "371200")


def test_adopted_dateline_is_not_the_delivery_date():
    text = "政府工作报告2015年4月20日驻马店市第三届人民代表大会第六次会议通过驻马店市人民政府市长陈星\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert meta["delivered_date"] is None
    assert meta["congress_session"] == "第三届人民代表大会第六次会议"
    assert (meta["speaker_name"], meta["region_name"]) == ("陈星", "驻马店市")


def test_date_in_the_body_is_not_a_dateline():
    text = "政府工作报告\n各位代表：\n一、2023年工作回顾\n2023年5月8日在市第一届人民代表大会第二次会议上，我们通过了决议。\n"
    meta = meta_of(text)
    assert meta["delivered_date"] is None and meta["congress_session"] is None


def test_bare_names_and_slugs():
    assert [bare_name(x) for x in ["景德镇市", "青云谱区", "广西壮族自治区", "黔南布依族苗族自治州", "城区"]] == [
        "景德镇", "青云谱", "广西", "黔南", "城区"]
    assert report_slug({"region_name": "景德镇市", "report_year": 2022}) == "jingdezhen-2022"
    assert report_slug({"region_name": "驻马店市", "report_year": 2002}) == "zhumadian-2002"
    assert report_slug({"region_name": None, "report_year": 2002}) is None
    assert report_slug({"region_name": "驻马店市", "report_year": None}) is None


@pytest.mark.parametrize("place,speaker,expected,slug", [
    ("北京市", "北京市市长 殷勇", ("北京市", "province", "北京市", None, "110000"), "beijing-2024"),
    ("上海市浦东新区", "区长 吴金城", ("浦东新区", "district", "上海市", "上海市", "310115"), "pudong-2024"),
    ("仙桃市", "市长 张三", ("仙桃市", "county_city", "湖北省", "湖北省", "429004"), "xiantao-2024"),
    ("延边朝鲜族自治州", "州长 李三", ("延边朝鲜族自治州", "prefecture", "吉林省", "吉林省", "222400"), "yanbian-2024"),
    ("新疆维吾尔自治区", "自治区主席 艾尔肯·吐尼亚孜", ("新疆维吾尔自治区", "province", "新疆维吾尔自治区", None, "650000"), "xinjiang-2024"),
])
def test_other_kinds_of_places(place, speaker, expected, slug):
    text = f"政府工作报告\n——2024年1月21日在{place}第十届人民代表大会第三次会议上\n{speaker}\n各位代表：\n" + BODY
    meta = meta_of(text)
    got = tuple(meta[k] for k in ("region_name", "region_level", "province_name", "parent_name", "region_code"))
    assert got == expected
    assert meta["speaker_name"] == speaker.split()[-1]
    assert report_slug(meta) == slug


def test_unnamed_county_still_gets_its_level_from_the_office():
    text = "政府工作报告\n——2024年1月21日在县第十八届人民代表大会第三次会议上\n县长 王五\n各位代表：\n" + BODY
    meta = meta_of(text)
    assert meta["region_name"] is None and meta["region_level"] == "county"


# --------------------------------------------------------------------------------------------------
# a date in the title line and the dateline's own date
# --------------------------------------------------------------------------------------------------
SHIYAN_SESSION = "在十堰市第五届人民代表大会第一次会议上\n市长 张三\n各位代表：\n"


@pytest.mark.parametrize("head,delivered", [
    # the dateline's own date is the delivery date, not the date in the title line
    ("十堰市政府工作报告（2021年1月5日）\n——2021年1月6日" + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告（2021年1月5日）——2021年1月6日" + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告（二〇二一年一月五日）\n——二〇二一年一月六日" + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告\n（2021年1月5日）\n——2021年1月6日" + SHIYAN_SESSION, "2021-01-06"),
    # a dateline without a date of its own: the date in brackets after the title is the delivery date
    ("十堰市政府工作报告（2021年1月6日）\n——" + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告（二〇二一年一月六日）\n——" + SHIYAN_SESSION, "2021-01-06"),
    # no calendar day: missing, and the title's date does not stand in for the dateline's
    ("十堰市政府工作报告（2021年1月5日）\n——2021年1月76日" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告（2021年1月76日）\n——" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告\n——2021年2月30日" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告\n——二〇二一年一月三十二日" + SHIYAN_SESSION, None),
    # adopted (通过): neither the dateline's date nor the title's is the delivery date
    ("十堰市政府工作报告（2021年1月5日）\n——2021年1月6日在十堰市第五届人民代表大会第一次会议通过\n市长 张三\n各位代表：\n", None),
    ("十堰市政府工作报告（2021年1月5日）\n——在十堰市第五届人民代表大会第一次会议通过\n市长 张三\n各位代表：\n", None),
])
def test_title_date_and_dateline_date(head, delivered):
    meta = meta_of(head + BODY)
    assert meta["delivered_date"] == delivered
    assert (meta["region_name"], meta["region_code"]) == ("十堰市", "420300")
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"
    assert meta["title"] == "十堰市政府工作报告"


@pytest.mark.parametrize("head,delivered", [
    ("十堰市政府工作报告（2021年1月6日）\n市长 张三\n各位代表：\n", "2021-01-06"),
    ("十堰市政府工作报告\n（二〇二一年一月六日）\n市长 张三\n各位代表：\n", "2021-01-06"),
    # not a date alone in brackets after the title, or no calendar day: not read
    ("十堰市政府工作报告（2021年1月6日修订稿）\n市长 张三\n各位代表：\n", None),
    ("十堰市政府工作报告（2021年2月30日）\n市长 张三\n各位代表：\n", None),
    ("十堰市政府工作报告\n市长 张三\n各位代表：\n2021年1月6日，我们召开了会议。\n", None),
])
def test_title_date_without_dateline(head, delivered):
    meta = meta_of(head + BODY)
    assert meta["delivered_date"] == delivered
    assert meta["congress_session"] is None
    assert meta["region_name"] == "十堰市"


@pytest.mark.parametrize("head", [
    "襄樊市政府工作报告（2008年2月19日）\n——2008年2月20日在襄樊市第十四届人民代表大会第二次会议上\n",
    "襄樊市政府工作报告（2008年2月20日）\n——在襄樊市第十四届人民代表大会第二次会议上\n",
    "襄樊市政府工作报告\n——2008年2月20日\n在襄樊市第十四届人民代表大会第二次会议上\n",
])
def test_dateline_place_is_the_name_alone(head):
    # a name the division table does not know is read from the dateline place as it stands: the
    # title's date, the dateline's date and 在 must not stick to it (not "）——2008年2月20日在襄樊市")
    meta = meta_of(head + "市长 张三\n各位代表：\n" + BODY)
    assert meta["region_name"] == "襄樊市"
    assert meta["delivered_date"] == "2008-02-20"
    assert meta["congress_session"] == "第十四届人民代表大会第二次会议"


# --------------------------------------------------------------------------------------------------
# a standing-committee meeting is not a session of the congress
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("meeting,session", [
    ("在十堰市第五届人民代表大会常务委员会第三次会议上", "第五届人民代表大会常务委员会第三次会议"),
    ("在市五届人大常委会第三次会议上", "第五届人民代表大会常务委员会第三次会议"),
    ("在十堰市第五届人大常委会第二十三次会议上", "第五届人民代表大会常务委员会第二十三次会议"),
    # the plenary session itself, for comparison
    ("在十堰市第五届人民代表大会第三次会议上", "第五届人民代表大会第三次会议"),
])
def test_standing_committee_meeting_is_not_the_congress_session(meeting, session):
    meta = meta_of(f"十堰市政府工作报告\n——2021年1月6日{meeting}\n市长 张三\n各位代表：\n" + BODY)
    assert meta["congress_session"] == session
    assert meta["delivered_date"] == "2021-01-06"
    assert meta["region_name"] == "十堰市"


def test_national_standing_committee_meeting():
    meta = meta_of("关于政府工作的报告\n——2024年6月25日在第十四届全国人民代表大会常务委员会第十次会议上\n"
                   "国务院总理 李强\n各位代表：\n" + BODY)
    assert meta["congress_session"] == "第十四届全国人民代表大会常务委员会第十次会议"


# --------------------------------------------------------------------------------------------------
# only the dateline's own date (or the title's, by convention) is the delivery date
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("head,delivered", [
    # a date near the session phrase that is not the dateline's: no delivery date
    ("十堰市政府工作报告（2021年1月6日修订稿）\n——" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告\n发布日期 2021年1月8日 来源 十堰日报\n——" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告\n2021年1月8日，市政府常务会议讨论\n——" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告（2021年1月6日，征求意见稿）\n——" + SHIYAN_SESSION, None),
    ("十堰市政府工作报告\n——2021年1月6日修订稿在十堰市第五届人民代表大会第一次会议上\n市长 张三\n各位代表：\n", None),
    # the dateline's own date, also split across lines, and the title's date by convention
    ("十堰市政府工作报告\n——2021年1月6日\n" + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告\n——2021年1月6日 " + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告\n（2021年1月6日）\n——" + SHIYAN_SESSION, "2021-01-06"),
    ("十堰市政府工作报告\n——2021年1月6日十堰市第五届人民代表大会第一次会议上\n市长 张三\n各位代表：\n", "2021-01-06"),
])
def test_only_the_datelines_own_date_is_the_delivery_date(head, delivered):
    meta = meta_of(head + BODY)
    assert meta["delivered_date"] == delivered
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"
    assert meta["region_name"] == "十堰市"


def test_an_unrelated_date_does_not_stick_to_the_dateline_place():
    # the place is the name alone, after the last 在: not "来源襄樊日报在襄樊市"
    meta = meta_of("襄樊市政府工作报告\n2008年2月21日 来源 襄樊日报\n在襄樊市第十四届人民代表大会第二次会议上\n"
                   "市长 张三\n各位代表：\n" + BODY)
    assert meta["region_name"] == "襄樊市"
    assert meta["delivered_date"] is None
    assert meta["congress_session"] == "第十四届人民代表大会第二次会议"


# --------------------------------------------------------------------------------------------------
# a year is four digits of their own, not the end of a longer digit run
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("date", ["32021年1月6日", "202021年1月6日", "一二〇二一年一月六日", "〇二〇二一年一月六日"])
def test_a_year_glued_to_a_preceding_digit_is_no_year(date):
    meta = meta_of(f"十堰市政府工作报告\n——{date}" + SHIYAN_SESSION + BODY)
    assert meta["delivered_date"] is None


def test_a_glued_year_is_no_title_date_and_no_review_year():
    meta = meta_of("十堰市政府工作报告（32021年1月6日）\n市长 张三\n各位代表：\n"
                   "一、12020年工作回顾\n过去一年，经济增长。\n二、今年重点工作\n抓好项目。\n")
    assert meta["delivered_date"] is None
    assert meta["review_year"] is None and meta["report_year"] is None


# --------------------------------------------------------------------------------------------------
# the national congress named in a local report's preamble does not make it the national report
# --------------------------------------------------------------------------------------------------
NPC_MENTION = "现在，我代表市人民政府，向大会报告工作。今年是全面贯彻十四届全国人民代表大会二次会议精神的重要一年，国务院总理李强提出新要求。\n"


@pytest.mark.parametrize("head", [
    "十堰市政府工作报告\n——2024年1月6日" + SHIYAN_SESSION + NPC_MENTION,
    "十堰市政府工作报告\n市长 张三\n各位代表：\n" + NPC_MENTION,
])
def test_a_local_report_mentioning_the_national_congress_is_local(head):
    meta = meta_of(head + BODY)
    assert (meta["region_name"], meta["region_level"], meta["region_code"]) == ("十堰市", "prefecture", "420300")


def test_national_report_without_dateline_or_speaker_line():
    meta = meta_of("政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n" + BODY)
    assert (meta["region_name"], meta["region_level"]) == ("中华人民共和国", "national")


# --------------------------------------------------------------------------------------------------
# the speaker's office is a word of its own, at the start of the speaker line
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("speaker_line,name,title", [
    # an office word inside another word is no speaker line (主席团: the presidium)
    ("", None, None),
    # a deputy is not the head: his office is stated as it is
    ("十堰市人民政府副市长 张三", "张三", "副市长"),
    ("常务副市长 张三", "张三", "常务副市长"),
    ("十堰市人民政府代理市长 张三", "张三", "代市长"),
    ("市长助理 张三", None, None),
    ("报告人：市长 张三", "张三", "市长"),
    ("报告人:十堰市人民政府市长 张三", "张三", "市长"),
    ("“市长 张三", "张三", "市长"),
    # a short name spaced out to align with longer ones is the name without the spaces
    ("市长　王　伟", "王伟", "市长"),
    ("十堰市人民政府代市长  李  明", "李明", "代市长"),
    ("市长 王 小 明", "王小明", "市长"),
    # two names are no name
    ("市长 张三 李四", None, None),
])
def test_speaker_office_stands_alone(speaker_line, name, title):
    head = ("十堰市政府工作报告\n——2024年1月6日在十堰市第五届人民代表大会第一次会议主席团会议上\n"
            + (speaker_line + "\n" if speaker_line else "") + "各位代表：\n")
    meta = meta_of(head + BODY)
    assert (meta["speaker_name"], meta["speaker_title"]) == (name, title)
    assert (meta["region_name"], meta["region_level"]) == ("十堰市", "prefecture")


@pytest.mark.parametrize("tail", ["上审议通过", "审议通过", "批准", "上通过"])
def test_every_adoption_wording_gives_no_delivery_date(tail):
    meta = meta_of(f"十堰市政府工作报告\n——2021年1月6日在十堰市第五届人民代表大会第一次会议{tail}\n市长 张三\n各位代表：\n" + BODY)
    assert meta["delivered_date"] is None
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"


@pytest.mark.parametrize("date", ["2021年元月6日", "二〇二一年元月六日"])
def test_yuanyue_is_january(date):
    meta = meta_of(f"十堰市政府工作报告\n——{date}" + SHIYAN_SESSION + BODY)
    assert meta["delivered_date"] == "2021-01-06"
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"


# --------------------------------------------------------------------------------------------------
# a session named in a sentence of the preamble is no dateline
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "本届政府自2017年1月6日市五届人大一次会议选举产生以来，始终坚持为民服务。",
    "2017年1月6日，市五届人大一次会议胜利召开，确定了本届政府的目标任务。",
])
def test_a_session_in_a_preamble_sentence_is_no_dateline(sentence):
    meta = meta_of("十堰市政府工作报告\n市长 张三\n各位代表：\n" + sentence + "现在，我代表市人民政府，向大会报告工作。\n" + BODY)
    assert meta["delivered_date"] is None and meta["congress_session"] is None
    assert meta["region_name"] == "十堰市"


@pytest.mark.parametrize("dateline", [
    "——2021年1月6日在十堰市第五届人民代表大会第一次会议\n",
    "（2021年1月6日在十堰市第五届人民代表大会第一次会议上）\n",
    "（2021年1月6日十堰市第五届人民代表大会第一次会议）\n",
    "——2021年1月6日在十堰市第五届人民代表大会第一次会议上 市长 张三\n",
])
def test_dateline_endings(dateline):
    meta = meta_of("十堰市政府工作报告\n" + dateline + "市长 张三\n各位代表：\n" + BODY)
    assert meta["delivered_date"] == "2021-01-06"
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"


@pytest.mark.parametrize("label", ["十堰市第五届人民代表大会第一次会议文件之一", "市五届人大一次会议资料"])
def test_a_label_naming_the_sessions_documents_gives_the_session_but_no_date(label):
    meta = meta_of("十堰市政府工作报告\n发布日期：2021年1月8日\n" + label + "\n市长 张三\n各位代表：\n" + BODY)
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"
    assert meta["delivered_date"] is None


@pytest.mark.parametrize("dateline", [
    "——2021年1月6日在十堰市第五届人民\n代表大会第一次会议上\n",
    "——2021年1月6日在十堰市第五届人民代表大\n会第一次会议上\n",
    "—— 2021 年 1 月 6 日 在 十 堰 市 第 五 届 人 民 代 表 大 会 第 一 次 会 议 上\n",
])
def test_dateline_broken_by_spaces_or_a_line_break(dateline):
    meta = meta_of("十堰市政府工作报告\n" + dateline + "市长 张三\n各位代表：\n" + BODY)
    assert meta["delivered_date"] == "2021-01-06"
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"
    assert meta["region_name"] == "十堰市"


# --------------------------------------------------------------------------------------------------
# a dateline without a date of its own still gives the session and the place
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("line,delivered", [
    ("——" + SHIYAN_SESSION.split("\n")[0], None),
    ("（在十堰市第五届人民代表大会第一次会议上）", None),
    ("——32021年1月6日在十堰市第五届人民代表大会第一次会议上", None),   # no year: no date, but the session
    ("十堰市第五届人民代表大会第一次会议文件之一", None),
])
def test_dateline_without_a_date(line, delivered):
    meta = meta_of("十堰市政府工作报告\n" + line + "\n市长 张三\n各位代表：\n" + BODY)
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"
    assert meta["delivered_date"] == delivered
    assert meta["region_name"] == "十堰市"


def test_dateless_dateline_takes_the_title_date_by_convention():
    meta = meta_of("襄樊市政府工作报告\n（2008年2月20日）\n\n\n\n"
                   "本报告为大会审议稿，请代表们认真审议，提出宝贵意见，以便进一步修改完善。\n"
                   "——在襄樊市第十四届人民代表大会第二次会议上\n市长 张三\n各位代表：\n" + BODY)
    assert meta["delivered_date"] == "2008-02-20"
    assert meta["congress_session"] == "第十四届人民代表大会第二次会议"
    assert meta["region_name"] == "襄樊市"


@pytest.mark.parametrize("sentence", [
    "现在，我代表市人民政府，向市五届人大一次会议报告工作。",
    "市五届人大一次会议以来，我们始终坚持为民服务。",
])
def test_a_session_in_a_sentence_without_date_is_no_dateline(sentence):
    meta = meta_of("十堰市政府工作报告\n市长 张三\n各位代表：\n" + sentence + "\n" + BODY)
    assert meta["congress_session"] is None


def test_a_sentence_wrapped_after_a_session_is_no_dateline():
    meta = meta_of("十堰市政府工作报告\n市长 张三\n各位代表：\n认真落实市五届人大一次会议\n确定的目标任务，我们砥砺前行。\n" + BODY)
    assert meta["congress_session"] is None
    assert meta["region_name"] == "十堰市"


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MEETING_PIECES = ["届", "人大", "人民代表大会", "人 民\n代表大会", "全国", "常委会", "第", "十", "三", "2", "次",
                  "会议", "全体", "在", "十堰市", " ", "\u3000", "\n", "，", "日", "甲" * 12, "省" * 20, "届届",
                  "五届人大一次会议", "十 四 届 人 大 二 次 会 议", "第十四届全国人民代表大会第二次会议",
                  "届人大三次会议", "届 人大常委会第三次会议", "1 2 届"]


@given(pieces=st.lists(st.sampled_from(MEETING_PIECES), max_size=60),
       window=st.tuples(st.integers(0, 200), st.integers(0, 260)))
def test_session_search_started_near_the_first_jie_equals_a_search_of_the_window(pieces, window):
    from govreports.metadata import _MEETING, _meetings, _search_meeting

    text = "".join(pieces)
    pos, endpos = window

    def spans(match):
        return match and match.span()

    assert spans(_search_meeting(text, pos, endpos)) == spans(_MEETING.search(text, pos, endpos))
    assert [m.span() for m in _meetings(text)] == [m.span() for m in _MEETING.finditer(text)]


YEAR_PIECES = list("12093一二〇零○O十百年月日号元（） ") + ["2021", "二〇二一", "1999", "二O二一", "12月", "一月六日"]
# the year as first written, with the look-behinds in front of each form
PLAIN_YEAR = (r"(?<!\d)(?:19|20)\d\d"
              r"|(?<![\d〇零○OoＯ一二三四五六七八九十百千])[一二][〇零○OoＯ0一二三四五六七八九]{3}")


@given(pieces=st.lists(st.sampled_from(YEAR_PIECES), max_size=30), at=st.integers(0, 60))
def test_years_with_the_look_behind_after_the_first_digit_are_the_plain_years(pieces, at):
    import re

    from govreports.metadata import _DATE, _YEAR

    text = "".join(pieces)
    for plain, fast in ((re.compile(_DATE.pattern.replace(_YEAR, PLAIN_YEAR)), _DATE),
                        (re.compile(f"({PLAIN_YEAR})年"), re.compile(f"({_YEAR})年"))):
        assert ([(m.span(), m.groups()) for m in fast.finditer(text)]
                == [(m.span(), m.groups()) for m in plain.finditer(text)])
        fast_at, plain_at = fast.match(text, at), plain.match(text, at)
        assert (fast_at and fast_at.span()) == (plain_at and plain_at.span())


# --------------------------------------------------------------------------------------------------
# a dateline without a date before the session: its date may follow it, alone
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("head,delivered", [
    ("\n——在十堰市第五届人民代表大会第一次会议上\n（2021年1月6日）\n", "2021-01-06"),
    ("\n——在十堰市第五届人民代表大会第一次会议上（2021年1月6日）\n", "2021-01-06"),
    ("\n在十堰市第五届人民代表大会第一次会议上\n二〇二一年一月六日\n", "2021-01-06"),
    # the title's date (on the title's line) is only the fallback: the dateline's own comes first
    ("（2021年1月5日）\n——在十堰市第五届人民代表大会第一次会议上\n（2021年1月6日）\n", "2021-01-06"),
    ("（2021年1月5日）\n——在十堰市第五届人民代表大会第一次会议上\n", "2021-01-05"),
    # not alone: a note's date, an unclosed bracket, an adoption date
    ("\n——在十堰市第五届人民代表大会第一次会议上\n（2021年1月6日修订稿）\n", None),
    ("\n——在十堰市第五届人民代表大会第一次会议上\n（2021年1月6日\n", None),
    ("\n——十堰市第五届人民代表大会第一次会议通过\n（2021年1月6日）\n", None),
])
def test_a_date_alone_after_a_dateline_is_its_own(head, delivered):
    meta = meta_of("十堰市政府工作报告" + head + "市长 张三\n各位代表：\n" + BODY)
    assert meta["delivered_date"] == delivered
    assert meta["congress_session"] == "第五届人民代表大会第一次会议"
    assert meta["speaker_name"] == "张三"


# --------------------------------------------------------------------------------------------------
# a title whose word lost one character to the cleaner's U+FFFD is still the title
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("title_line,title,delivered", [
    ("十堰市政府工作\ufffd告（2021年1月6日）", "十堰市政府工作\ufffd告", "2021-01-06"),
    ("十堰市\ufffd府工作报告（2021年1月6日）", "十堰市\ufffd府工作报告", "2021-01-06"),
    # two characters lost: no longer a title word
    ("十堰市政府工\ufffd\ufffd告（2021年1月6日）", None, None),
])
def test_a_title_word_with_one_lost_character(title_line, title, delivered):
    meta = meta_of(title_line + "\n" + SHIYAN_SESSION + BODY)
    assert meta["title"] == title
    assert meta["delivered_date"] == delivered
    assert meta["region_name"] == "十堰市"
