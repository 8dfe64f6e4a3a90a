from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from directory import services as directory_services
from matching import introductions
from matching.models import Introduction


class Command(BaseCommand):
    help = ("Carry some of the demo network's proposed introductions through the workflow (approved, "
            "accepted, outcomes), so the staff metrics have something to show. Safe to re-run.")

    def handle(self, *args, **options):
        if Introduction.objects.exclude(status=Introduction.Status.PROPOSED).exists():
            self.stdout.write("Demo history: already there.")
            return
        staff = get_user_model().objects.get(username="staff")
        proposed = list(Introduction.objects.filter(status=Introduction.Status.PROPOSED).order_by("-score", "pk")[:16])
        outcomes = ["deal", "met", "negotiating", "deal", "no_fit", "met", "deal", "met"]
        for n, introduction in enumerate(proposed):
            if n % 4 == 3:
                introductions.dismiss_introduction(actor=staff, introduction=introduction, reason="timing")
                continue
            introductions.approve_introduction(actor=staff, introduction=introduction)
            if n % 4 == 2:
                continue  # still waiting for the firms
            for side in (introduction.business_a, introduction.business_b):
                introductions.accept_introduction(actor=self._owner(staff, side), introduction=introduction, business=side)
            outcome = outcomes[n % len(outcomes)]
            introductions.record_outcome(actor=self._owner(staff, introduction.business_a), introduction=introduction, outcome=outcome,
                                    value=25000 if outcome == "deal" else None)
        self.stdout.write(f"Demo history: {len(proposed)} introductions decided.")

    def _owner(self, staff, business):
        """Demo firms are imported without accounts; give one an account (no
        password) so it can answer for itself."""
        if business.owner_id is None:
            owner, _ = get_user_model().objects.get_or_create(
                username=f"demo-firm-{business.pk}", defaults={"email": f"firm{business.pk}@demo.example"}
            )
            directory_services.assign_owner(actor=staff, business=business, owner=owner)
            business.refresh_from_db()
        return business.owner
