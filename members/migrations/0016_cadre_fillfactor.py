"""The cadre table keeps half of each page free (PostgreSQL): a re-import updates
every row of a roster, and an update whose new version fits on its page is a HOT
update — no new entry in the table's nine indexes. Measured (issue 19): 100,000
changed rows re-imported in 9.4 s at the default fill, 7.7 s at 50; the table takes
twice the space (some 50 MB more per 200,000 cadres), its indexes do not grow."""

from django.db import migrations


def set_fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE members_cadre SET (fillfactor = 50)")


def reset_fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE members_cadre RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("members", "0015_import_column_choice")]

    operations = [migrations.RunPython(set_fill, reset_fill)]
