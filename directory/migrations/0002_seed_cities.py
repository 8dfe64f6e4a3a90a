"""Seed the network as of 2026: Aurora and its sister and friendship cities.

Staff add or change cities in the admin afterwards; this runs once.
"""

from django.db import migrations

CITIES = [
    # name, slug, country, languages, timezone, relationship
    ("Aurora", "aurora", "US", ["en"], "America/Denver", "home"),
    ("Seongnam", "seongnam", "KR", ["ko"], "Asia/Seoul", "sister"),
    ("Adama", "adama", "ET", ["am", "om"], "Africa/Addis_Ababa", "sister"),
    ("Ilopango", "ilopango", "SV", ["es"], "America/El_Salvador", "sister"),
    ("Jacó", "jaco", "CR", ["es"], "America/Costa_Rica", "sister"),
    ("Zielona Góra", "zielona-gora", "PL", ["pl"], "Europe/Warsaw", "sister"),
    ("Chihuahua", "chihuahua", "MX", ["es"], "America/Chihuahua", "sister"),
    ("Antiguo Cuscatlán", "antiguo-cuscatlan", "SV", ["es"], "America/El_Salvador", "friendship"),
    ("New Taipei City", "new-taipei-city", "TW", ["zh-Hant"], "Asia/Taipei", "friendship"),
]


def seed(apps, schema_editor):
    City = apps.get_model("directory", "City")
    for name, slug, country, languages, tz, relationship in CITIES:
        City.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "country": country, "languages": languages, "timezone": tz,
                      "relationship": relationship},
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
