from django.db import migrations, models


def rewrite_entries(apps, schema_editor):
    """Every entry again, stamped with the analysis that made it. The index
    code itself is used (not the historical models): the entries must be
    exactly what a profile save writes today."""
    from directory.models import Business
    from search.indexing import write_entries

    last = 0
    while True:
        # Only the columns the entries read: later migrations may add others.
        chunk = list(
            Business.objects.filter(pk__gt=last).select_related("city")
            .only("name", "offers_text", "seeks_text", "description", "description_language", "certifications",
                  "search_version", "city__name")
            .order_by("pk")[:500]
        )
        if not chunk:
            return
        # Equal versions may be rewritten (the entry's analysis changed, not the profile).
        write_entries(chunk)
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [("search", "0005_saved_searches")]

    operations = [
        migrations.AddField("searchentry", "analysis", models.CharField(blank=True, default="", max_length=16)),
        migrations.RunPython(rewrite_entries, migrations.RunPython.noop),
    ]
