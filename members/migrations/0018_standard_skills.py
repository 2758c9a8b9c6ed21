from django.db import migrations

SKILLS = (
    "健康讲座", "书法", "绘画", "法律咨询", "矛盾调解", "政策宣讲", "文艺演出",
    "青少年教育", "党史宣讲", "理财防骗", "摄影", "维修手艺",
)  # fmt: skip


def add(apps, schema_editor):
    Skill = apps.get_model("members", "Skill")
    for order, name in enumerate(SKILLS):
        Skill.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("members", "0017_talent_pool")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
