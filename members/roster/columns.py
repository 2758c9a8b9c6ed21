"""The roster's columns: Chinese headers, their synonyms, and what each holds."""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Column:
    key: str  # the import's own name for the value
    header: str  # the template's header
    synonyms: tuple[str, ...] = ()
    kind: str = "text"  # text | date | bool | sex | id | unit | choice
    note: str = ""  # the template's notes row
    choices: tuple[str, ...] = ()  # Excel data-validation list


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("名字",), note="必填"),
    Column(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "身份证", "身份证件号码", "证件号码", "身份号码",
         "公民身份证号", "公民身份证号码", "身份证件号", "证件号", "居民身份证号码"),
        "id",
        "必填；请设为文本格式，15 位老号码会自动升位",
    ),
    Column("sex", "性别", (), "sex", "男/女；可不填，按身份证号判断", ("男", "女")),
    Column("birth_date", "出生日期", ("出生年月", "出生时间", "生日"), "date", "如 1940-03-01 或 1940.03；可不填"),
    Column("ethnicity", "民族", (), note="默认汉族"),
    Column("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式", "电话号码", "移动电话"), note="手机 11 位或座机"),
    Column("address", "家庭住址", ("住址", "地址", "家庭地址", "现住址", "现居住地址",
                                  "现居住地详细地址", "居住地址", "现家庭住址", "详细地址")),
    Column("category", "类别", ("离退休类别", "干部类别", "离退休"), "choice", "离休/退休", ("离休", "退休")),
    Column("lixiu_period", "参加革命时期", ("革命时期",), "choice", "离休干部填写", ("抗日战争时期", "解放战争时期")),
    Column("original_rank", "原职级", ("职级", "原职务级别")),
    Column("benefit_level", "享受待遇级别", ("待遇级别", "享受待遇", "现享受待遇级别",
                                           "现享受待遇")),
    Column("original_work_unit", "原工作单位", ("原单位", "工作单位")),
    Column("retirement_date", "离退休时间", ("退休时间", "离休时间", "退休日期")),
    Column("is_party_member", "是否党员", ("党员", "中共党员"), "bool", "是/否；也可改用“政治面貌”一列", ("是", "否")),
    Column("joined_party_on", "入党时间", ("入党日期", "入党年月"), "date", "可只填到月，如 1970.03"),
    Column("full_member_on", "转正时间", ("转正日期", "转正年月"), "date", "可只填到月；预备党员不填"),
    Column("member_status", "党员状态", (), "choice", "正式/预备/失联/停止党籍", ("正式党员", "预备党员", "失联党员", "停止党籍")),
    Column("branch", "所属支部", ("所在党支部", "党组织", "党支部", "支部", "所在支部", "所属党支部"), "unit", "党员必填：支部名称、代码或路径（XX镇/第一网格/金桥社区/金桥社区党支部）"),
    Column("party_group", "所属党小组", ("党小组", "所在党小组"), "unit", "可不填：本支部下的党小组名称"),
    Column("residence_unit", "居住社区/村", ("居住社区", "所在社区", "居住地", "社区/村", "社区", "所在村居", "村居"), "unit", "非党员必填；党员不填时取支部所在社区/村"),
    Column("living_situation", "居住情况", (), "choice", "独居/空巢/与家人同住", ("独居", "空巢", "与家人同住")),
    Column("lives_alone", "是否独居", ("独居",), "bool", "是/否（与“居住情况”二选一）", ("是", "否")),
    Column("mobility", "行动能力", ("能否参加活动", "能参加集中活动", "能否参加集中活动", "活动能力"), "choice", "能参加集中活动/只能就近参加/只能在家；填是/否也可（否即只能在家）", ("能参加集中活动", "只能就近参加", "只能在家")),
    Column("critically_ill", "病重", ("是否病重",), "bool", "是/否", ("是", "否")),
    Column("disabled_or_cognitive", "失能失智", ("是否失能失智", "失能或失智"), "bool", "是/否", ("是", "否")),
    Column("in_hardship", "生活困难", ("是否生活困难",), "bool", "是/否", ("是", "否")),
    Column("health_status", "健康状况", ("身体状况",)),
    Column("requests", "本人诉求", ("诉求", "备注")),
    # Last, so that rosters written in the earlier layout keep their column order.
    Column("native_place", "籍贯", ("出生地", "籍贯地")),
    Column("marital_status", "婚姻状况", ("婚姻状态", "婚否"), "choice", "已婚/丧偶/离异/未婚", ("已婚", "丧偶", "离异", "未婚")),
    Column("education", "最高学历", ("学历", "文化程度", "文化程度（学历）")),
    Column("work_started_on", "参加工作时间", ("参加工作日期", "参加工作年月", "工作时间"), "date", "可只填到月"),
    Column("phone2", "固定电话", ("固话", "座机", "家庭电话", "住宅电话", "宅电", "座机号码"), note="可不填；座机可不带区号"),
    Column("medical_insurance", "医保类别", ("医保", "医疗保险", "医疗保险类别", "医保类型", "参保类别",
                                            "参保类型", "医疗待遇", "医疗保障类别"), note="如 职工医保、城乡居民医保、公费医疗"),
    Column("designated_hospital", "定点医院", ("定点医院一", "定点医院1", "第一定点医院", "医保定点医院",
                                               "定点医疗机构", "定点医院(一)")),
    Column("designated_hospital2", "定点医院二", ("定点医院2", "第二定点医院", "定点医院(二)",
                                                  "定点医疗机构二", "定点医疗机构2")),
    Column("long_term_medicines", "长期用药", ("长期服用药物", "长期服药", "常用药", "常用药品",
                                               "长期用药情况", "常用药物")),
    Column("monthly_pension", "月离退休费", ("离退休费", "月退休费", "月离休费", "退休费", "离休费",
                                             "养老金", "月养老金", "退休金", "月退休金", "离退休金",
                                             "月离退休金", "基本养老金"), "money", "元；如 4850.50"),
)  # fmt: skip

# Columns the import reads from other offices' rosters that our template does not
# offer (it has 是否党员 and 党员状态 instead).
READ_ONLY_COLUMNS: tuple[Column, ...] = (
    Column("political_status", "政治面貌", ("政治身份", "党派"), "political",
           "中共党员/中共预备党员/群众/民主党派…"),
    Column("spouse_name", "配偶姓名", ("配偶", "爱人姓名", "爱人")),
    Column("spouse_phone", "配偶电话", ("配偶联系电话", "配偶手机", "爱人电话", "爱人联系电话")),
    Column("child_name", "子女姓名", ("子女", "联系子女", "子女联系人")),
    Column("child_phone", "子女电话", ("子女联系电话", "子女手机", "联系子女电话")),
    Column("emergency_name", "紧急联系人", ("紧急联系人姓名",)),
    Column("emergency_phone", "紧急联系人电话", ("紧急联系电话", "紧急联系人手机",
                                                "紧急联系人联系电话")),
    Column("death_date", "去世时间", ("已故时间", "死亡时间", "去世日期", "死亡日期", "逝世时间",
                                      "逝世日期", "亡故时间"), "date", "已故人员填写：归档为已故"),
)  # fmt: skip


def kept_columns() -> tuple[Column, ...]:
    """The template's columns without the dossier fields this township does not keep
    (DOSSIER_HIDDEN_FIELDS): its template and exports leave them out."""
    hidden = set(settings.DOSSIER_HIDDEN_FIELDS)
    return tuple(c for c in COLUMNS if c.key not in hidden)


BY_KEY = {c.key: c for c in (*COLUMNS, *READ_ONLY_COLUMNS)}
REQUIRED_HEADERS = ("name", "id_number")

_SPACES = re.compile(r"[\s\u3000]+")
# Decorations offices put around a header: numbering ("1.姓名", "（一）", "一、"),
# marks of a required column ("*", "※", "★"), a unit in brackets ("月离退休费（元）").
_NUMBERING = re.compile(r"^(?:\(?[0-9一二三四五六七八九十]+[)、.．]|[*※★]+)+")
_UNIT = re.compile(r"\((?:元|元/月|岁|年|人|个|次|kg|cm)\)$")


def normalize_header(text) -> str:
    """Full-width to half-width, no spaces, no numbering, marks or unit around it,
    no trailing 「：」 or 「*」."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _SPACES.sub("", text).rstrip(":：*※★").strip()
    text = _NUMBERING.sub("", text)
    return _UNIT.sub("", text).strip()


HEADER_INDEX: dict[str, Column] = {}
for _column in (*COLUMNS, *READ_ONLY_COLUMNS):
    for _name in (_column.header, *_column.synonyms):
        HEADER_INDEX.setdefault(normalize_header(_name), _column)


def roster_index() -> dict[str, Column]:
    """HEADER_INDEX without the fields this township does not keep: a file's column
    for one of them is reported as not used."""
    hidden = set(settings.DOSSIER_HIDDEN_FIELDS)
    if not hidden:
        return HEADER_INDEX
    return {name: c for name, c in HEADER_INDEX.items() if c.key not in hidden}
