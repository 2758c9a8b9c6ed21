"""The demo's messy roster: a file made the way the demo township's communities make
them (title rows, merged cells, synonyms, mixed dates, a 15-digit ID, full-width
digits, an unknown column, a formatted blank tail) with five bad rows, and the same
file corrected. For trying the import at /imports/ after `make run`, and for the
browser test."""

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from grids import workbooks
from members.idnumbers import check_character

D = datetime.date
AREA = "310115"  # a neighbouring district's code: never one of the demo's cadres
HEADER = ["序号", "姓 名", "性别", "公民身份号码", "出生年月", "党组织", "入党时间",
          "转正时间", "是否独居", "联系电话", "家庭住址", "鞋码"]  # fmt: skip


def _id(birth: D, seq: int, male: bool = True) -> str:
    first17 = f"{AREA}{birth:%Y%m%d}{seq * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


def _wrong_check(number: str) -> str:
    digit = "0" if number[-1] != "0" else "1"
    return number[:-1] + digit


def rows(corrected: bool = False) -> list[list]:
    zhou = _id(D(1939, 8, 15), 11)
    old_15 = _id(D(1936, 2, 3), 12)
    old_15 = old_15[:6] + old_15[8:17]  # the same person's old 15-digit number
    wide = _id(D(1944, 10, 1), 13, male=False)
    wide = wide.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    good = [
        [
            1,
            "周振华",
            "男",
            zhou,
            "1939.08",
            "金桥社区党支部",
            "1960-07-01",
            "1961/7/1",
            "是",
            "13801110001",
            "金桥路 1 弄 2 号",
            "42",
        ],
        [
            2,
            "吴桂兰",
            "女",
            _id(D(1942, 3, 8), 14, male=False),
            D(1942, 3, 8),
            "绿一社区党支部",
            "1965年3月",
            "196603",
            "否",
            "021-58881234",
            "绿一小区 5 号",
            "",
        ],
        [
            3,
            "郑德明",
            "男",
            old_15,
            "1936年2月",
            "XX镇/第一网格/幸福村/幸福村党支部",
            "1956.05",
            "1957.05",
            None,
            None,
            "幸福村 3 组",
            "",
        ],
        [
            4,
            "冯秀英",
            "女",
            wide,
            "1944.10",
            "嘉星社区党支部",
            24000,
            24366,
            "√",
            "13901110004",
            "",
            "",
        ],
        [
            5,
            "陈国庆",
            "男",
            _id(D(1949, 10, 1), 15).lower(),
            "",
            "嘉华社区党支部 ",
            "1972.06",
            "1973.06",
            "否",
            " 13601110005 ",
            "嘉华路 9 号",
            "",
        ],
    ]
    bad = [
        [6, "王志刚", "男", _id(D(1940, 1, 20), 16), "1940.01", "沙河村党支部",
         "1961.03", "1962.03", "否", "13701110006", "", ""],
        [7, "李玉兰", "女", _id(D(1943, 6, 6), 17, male=False), "1943.06", "红光村党支部",
         "1964.09", "1965.09", "否", "13701110007", "", ""],
        [8, "赵建国", "男", _id(D(1945, 5, 4), 18), "1945.05", "华庄村党支部",
         "1968.04", "1969.04", "是", "13701110008", "", ""],
        [9, "孙凤英", "女", _id(D(1947, 12, 12), 19, male=False), "1947.12", "新华村党支部",
         "1970.01", "1971.01", "否", "13701110009", "", ""],
        [10, "钱德华", "男", _id(D(1941, 9, 9), 20), "1941.09", "金桥社区党支部",
         "1963.02", "1964.02", "否", "13701110010", "", ""],
    ]  # fmt: skip
    if not corrected:
        bad[0][3] = _wrong_check(bad[0][3])  # checksum
        bad[1][5] = "红光党支部"  # branch: no such unit
        bad[2][7] = "1967.04"  # dates: 转正 before 入党
        bad[3][1:5] = ["周振华", "男", zhou, "1939.08"]  # duplicate: 周振华 again
        bad[4][4] = "1942.09"  # birth: disagrees with the ID (1941-09)
    return good + bad


def write(path: Path | str, *, corrected: bool = False) -> Path:
    path = Path(path)
    workbooks.save(workbook(corrected=corrected), path)
    return path


def workbook(*, corrected: bool = False) -> Workbook:
    workbook = workbooks.new_workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    workbooks.append(sheet, ["XX镇离退休干部党员花名册（2026年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    workbooks.append(
        sheet,
        ["填报单位：XX镇组织科", None, None, None, None, None, "填报日期：2026年11月"],
    )
    workbooks.append(sheet, HEADER)
    for row in rows(corrected):
        workbooks.append(sheet, row)
        sheet.cell(row=sheet.max_row, column=4).number_format = "@"
    last = sheet.max_row
    for offset in range(1, 301):  # formatted blank rows, as Excel leaves them
        sheet.cell(row=last + offset, column=2).font = Font(bold=True)
    return workbook
