from django.db import migrations


def load_reference_data(apps, schema_editor):
    from core.reference_data import load

    load(apps.get_model("core", "Country"), apps.get_model("core", "Site"), apps.get_model("core", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
