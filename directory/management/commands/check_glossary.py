from django.core.management.base import BaseCommand, CommandError

from directory import glossary


class Command(BaseCommand):
    help = (
        "Check the trade glossary (directory/data/glossary/): every line names a real HS or NAICS code "
        "and has terms. Then list the codes with the fewest terms, for review."
    )

    def add_arguments(self, parser):
        parser.add_argument("--review", type=int, default=40, help="How many of the thinnest codes to list (default 40).")
        parser.add_argument("--language", choices=glossary.LANGUAGES, help="Rank the review list by this language's terms.")

    def handle(self, *args, review, language, **options):
        problems, counts = glossary.check()
        total_terms = sum(sum(per.values()) for per in counts.values())
        self.stdout.write(f"{len(counts)} codes, {total_terms} terms.")
        for name in glossary.LANGUAGES:
            covered = sum(1 for per in counts.values() if per[name])
            self.stdout.write(f"  {name:8} {covered:5} of {len(counts)} codes have terms, "
                              f"{sum(per[name] for per in counts.values())} terms")
        if review:
            self.stdout.write(f"\nThe {review} codes with the fewest terms"
                              + (f" in {language}" if language else " in their thinnest language") + ":")
            def thinness(item):
                (scheme, code), per = item
                return (per[language] if language else min(per.values()), sum(per.values()), scheme, code)
            for (scheme, code), per in sorted(counts.items(), key=thinness)[:review]:
                shown = " ".join(f"{name}={per[name]}" for name in glossary.LANGUAGES)
                self.stdout.write(f"  {scheme} {code:7} {shown}  {glossary.glossary().name_for(code, 'en', scheme=scheme)}")
        for filename, line, message in problems:
            self.stderr.write(f"{filename}:{line}: {message}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the glossary; see above.", returncode=1)
