"""The benchmark's baseline: a plain django-import-export ModelResource with
ForeignKeyWidgets (a few queries a row), importing the same roster file."""

from import_export import fields, resources
from import_export.widgets import BooleanWidget, DateWidget, ForeignKeyWidget

from grids.models import OrgUnit

from ..models import Cadre


class ChineseBooleanWidget(BooleanWidget):
    TRUE_VALUES = ["是", "1", 1, True, "true", "TRUE", "True"]
    FALSE_VALUES = ["否", "0", 0, False, "false", "FALSE", "False"]


class BaselineCadreResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(attribute="id_number", column_name="身份证号")
    sex = fields.Field(attribute="sex", column_name="性别")
    birth_date = fields.Field(
        attribute="birth_date", column_name="出生日期", widget=DateWidget("%Y-%m-%d")
    )
    branch = fields.Field(
        attribute="branch",
        column_name="所属支部",
        widget=ForeignKeyWidget(OrgUnit, "name"),
    )
    residence_unit = fields.Field(
        attribute="residence_unit",
        column_name="居住社区/村",
        widget=ForeignKeyWidget(OrgUnit, "name"),
    )
    category = fields.Field(attribute="category", column_name="类别")
    is_party_member = fields.Field(
        attribute="is_party_member", column_name="是否党员", widget=ChineseBooleanWidget()
    )
    member_status = fields.Field(attribute="member_status", column_name="党员状态")

    class Meta:
        model = Cadre
        import_id_fields = ("id_number",)
        fields = ("name", "id_number", "sex", "birth_date", "branch", "residence_unit", "category",
                  "is_party_member", "member_status")  # fmt: skip

    def before_import_row(self, row, **kwargs):
        # The same values the roster holds, in the model's codes.
        row["性别"] = {"男": "M", "女": "F"}.get(row.get("性别"), row.get("性别"))
        row["类别"] = {"离休": "lixiu", "退休": "tuixiu"}.get(row.get("类别"), "tuixiu")
        row["党员状态"] = {"正式党员": "full", "预备党员": "probationary"}.get(
            row.get("党员状态"), "full"
        )
