"""EduConnect sends the pupil's level as FrEduCtEleveNiveau (there is no FrEduCtEleveMEFSTAT4
attribute), and the affiliation tells pupils from their legal guardians."""

from django.db import migrations, models

OLD_LEVEL_ATTRIBUTE = "FrEduCtEleveMEFSTAT4"
LEVEL_ATTRIBUTE = "FrEduCtEleveNiveau"


def name_the_level_attribute(apps, schema_editor):
    """Sites still on the old default read the attribute EduConnect really sends."""
    FederationSettings = apps.get_model("federation", "FederationSettings")
    FederationSettings._base_manager.filter(educonnect_attr_mefstat4=OLD_LEVEL_ATTRIBUTE).update(
        educonnect_attr_mefstat4=LEVEL_ATTRIBUTE
    )


def restore_the_old_name(apps, schema_editor):
    FederationSettings = apps.get_model("federation", "FederationSettings")
    FederationSettings._base_manager.filter(educonnect_attr_mefstat4=LEVEL_ATTRIBUTE).update(
        educonnect_attr_mefstat4=OLD_LEVEL_ATTRIBUTE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="federationsettings",
            name="educonnect_attr_affiliation",
            field=models.CharField(
                blank=True,
                default="FrEduCtPersonAffiliation",
                help_text=(
                    "Tells pupils from their legal guardians, who may not sign in. Leave empty to skip the check."
                ),
                max_length=120,
                verbose_name="affiliation attribute",
            ),
        ),
        migrations.AlterField(
            model_name="federationsettings",
            name="educonnect_attr_mefstat4",
            field=models.CharField(
                blank=True,
                default="FrEduCtEleveNiveau",
                help_text=(
                    "Holds the pupil's level as a MEFSTAT4 code (matched with the codes of the site's high-school "
                    "levels). Without it, pupils choose their level in their record."
                ),
                max_length=120,
                verbose_name="level attribute",
            ),
        ),
        migrations.RunPython(name_the_level_attribute, restore_the_old_name),
    ]
