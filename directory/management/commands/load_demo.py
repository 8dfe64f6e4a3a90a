import json
import tempfile

from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from config.progress import Progress
from directory import demo_network, importer, services
from directory.models import Business, City

# A local demo only: the accounts are printed and meant to be shared.
ACCOUNTS = [
    # username, password, is_staff, role
    ("staff", "aurora-demo-staff", True, "full staff"),
    ("owner", "aurora-demo-owner", False, "owner of an Aurora firm"),
    ("partner", "aurora-demo-partner", False, "owner of a Seongnam firm"),
    ("volunteer", "aurora-demo-volunteer", False, "country-committee volunteer for Seongnam"),
]


class Command(BaseCommand):
    help = "Load the demo network (generated, multilingual, published) and demo accounts. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=360)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--accounts-only", action="store_true", help="Only (re)create and print the demo accounts.")

    def handle(self, *args, count, seed, accounts_only, **options):
        if accounts_only:
            self.stdout.write("Demo accounts (sign in at /accounts/login/ with the username or its @aurora-network.example email):")
            self._accounts()
            return
        records = demo_network.generate(count=count, seed=seed)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            with Progress(total=len(records), description="demo network", stream=self.stderr._out) as progress:
                report = importer.import_file(handle.name, progress=progress)
        if report.errors:
            for error in report.errors[:20]:
                self.stderr.write(str(error))
            raise CommandError(f"The demo generator produced {report.invalid_rows} invalid row(s).")
        self.stdout.write(
            f"Demo network: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )
        self._accounts()

    @transaction.atomic
    def _accounts(self):
        """Create the demo accounts that are missing. An account that exists is
        left as it is: re-running the command (or running it by mistake on a
        real site) must never reset a password or grant staff rights."""
        User = get_user_model()
        for username, password, is_staff, role in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                email = f"{username}@aurora-network.example"
                user = User.objects.create_user(
                    username=username, email=email, password=password, is_staff=is_staff, is_superuser=is_staff
                )
                # Demo addresses count as verified, so the accounts sign in at once.
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                if username == "volunteer":
                    user.volunteer_cities.set(City.objects.filter(slug="seongnam"))
            if user.check_password(password):
                self.stdout.write(f"  {role:45} username {username:10} password {password}")
            else:
                self.stdout.write(f"  {role:45} username {username:10} (existing account; password left unchanged)")
        staff = User.objects.get(username="staff")
        for username, firms in (
            ("owner", Business.objects.filter(city__relationship=City.Relationship.HOME)),
            ("partner", Business.objects.filter(city__slug="seongnam")),
        ):
            firm = firms.order_by("external_id").first()
            if firm and firm.owner_id is None:
                services.assign_owner(actor=staff, business=firm, owner=User.objects.get(username=username))
