"""Check every sealed receipt (read receipts, training completions) against its keyed seal.

Names the first receipt that does not match (changed in the database, or written there by someone without
`CASE_AUDIT_HMAC_KEY`) and exits non-zero; otherwise says how many were checked.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from trust.evidence_db import evidence_models


def sealed_models() -> list:
    return [model for model in evidence_models() if hasattr(model, "has_valid_seal")]


class Command(BaseCommand):
    help = "Check each read receipt and training completion against its seal; name the first that fails."

    def handle(self, *args, **options):
        counts = []
        try:
            for model in sealed_models():
                checked = 0
                for receipt in model._base_manager.order_by("pk").iterator(chunk_size=2000):
                    if not receipt.has_valid_seal():
                        raise CommandError(
                            f"{model._meta.verbose_name.capitalize()} {receipt.pk} ({model._meta.db_table}) does "
                            "not match its seal: it was changed in the database, or written there without the key. "
                            "Check CASE_AUDIT_HMAC_KEY is the key the portal runs with, then treat this receipt as "
                            "not genuine."
                        )
                    checked += 1
                counts.append(f"{model._meta.verbose_name_plural} {checked}")
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"All receipts match their seals: {', '.join(counts)}."))
