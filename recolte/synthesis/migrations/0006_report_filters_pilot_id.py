from django.db import migrations

# Until 0005 a report's stored filters named its pilot operation by code; from 0006 on by id, as
# the library and search do (one reader: `collection.filters.material_filters`).


def _convert(apps, by: str, to: str) -> None:
    Report = apps.get_model("synthesis", "Report")
    PilotOperation = apps.get_model("registry", "PilotOperation")
    for report in Report.objects.exclude(filters={}):
        value = report.filters.get("pilot")
        if value in (None, ""):
            continue
        found = (
            PilotOperation.objects.filter(programme_id=report.programme_id, **{by: value})
            .values_list(to, flat=True)
            .first()
        )
        filters = dict(report.filters)
        if found is None:  # a pilot deleted since: the filter matched nothing, keep it so
            filters["pilot"] = -1 if to == "pk" else ""
        else:
            filters["pilot"] = found
        report.filters = filters
        report.save(update_fields=["filters"])


def codes_to_ids(apps, schema_editor):
    _convert(apps, "code", "pk")


def ids_to_codes(apps, schema_editor):
    _convert(apps, "pk", "code")


class Migration(migrations.Migration):
    dependencies = [
        ("synthesis", "0005_drop_file_columns"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(codes_to_ids, ids_to_codes)]
