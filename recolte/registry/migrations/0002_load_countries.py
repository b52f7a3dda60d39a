"""Load countries and UN M49 regions from recolte/registry/data/countries.json."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "countries.json"


def _rows() -> list[dict]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    countries = [{**c, "is_region": False} for c in data["countries"]]
    regions = [{**r, "is_region": True} for r in data["regions"]]
    return countries + regions


def load(apps, schema_editor):
    Country = apps.get_model("registry", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(
            code=row["code"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            continent=row["continent"],
            is_region=row["is_region"],
        )
        for row in _rows()
        if row["code"] not in existing
    )


def unload(apps, schema_editor):
    Country = apps.get_model("registry", "Country")
    Country.objects.filter(code__in=[row["code"] for row in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
