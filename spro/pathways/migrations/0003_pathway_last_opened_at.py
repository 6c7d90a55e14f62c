"""`Pathway.last_opened_at`: when the person last opened their page (docs/parcours.md, « Durée de conservation »).
Existing pathways take their `updated_at`, so the retention period starts from their last change, not from zero."""

from django.db import migrations, models
from django.db.models import F


def fill_from_updated_at(apps, schema_editor):
    Pathway = apps.get_model("pathways", "Pathway")
    Pathway.objects.filter(last_opened_at__isnull=True).update(last_opened_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0002_pathwayshare_pathways_share_structure_given"),
    ]

    operations = [
        migrations.AddField(
            model_name="pathway",
            name="last_opened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dernière visite le"),
        ),
        migrations.RunPython(fill_from_updated_at, migrations.RunPython.noop, elidable=True),
    ]
