from django import template

from members.dates import whole_years
from members.idnumbers import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value) if value else ""


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value)


@register.simple_tag
def age_on(cadre, today) -> int:
    return whole_years(cadre.birth_date, today)
