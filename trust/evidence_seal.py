"""A keyed seal on each receipt: someone with database access but without the key cannot make one up.

Read receipts and training completions each carry `seal`, an HMAC-SHA256 under the same environment key as
the case audit chain (`CASE_AUDIT_HMAC_KEY`, never in the database), of a kind label and the receipt's
contents. The kind label keeps a receipt's seal from ever matching an audit entry's hash. An INSERT made
at a database prompt, or a row edited with its triggers disabled, no longer matches; `manage.py
verify_receipts` names the first such receipt. The seal cannot bind the row's id (it is written before
the row has one, and the row can never be updated): a copy of a genuine row under a new id would still
match, but is refused by the one-receipt-per-person-and-version rule.
"""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def seal_key() -> bytes:
    key = getattr(settings, "CASE_AUDIT_HMAC_KEY", None)
    if not key:
        raise ImproperlyConfigured(
            "CASE_AUDIT_HMAC_KEY is not set: receipts cannot be sealed or checked without the key."
        )
    return key.encode()


def _plain(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def seal_of(kind: str, values: list) -> str:
    """The HMAC-SHA256 of a kind label and values, in a canonical JSON form (keys sorted, times in UTC)."""
    message = json.dumps([kind, *map(_plain, values)], sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(seal_key(), message.encode(), hashlib.sha256).hexdigest()


def seal_matches(stored: str, kind: str, values: list) -> bool:
    return bool(stored) and hmac.compare_digest(stored, seal_of(kind, values))
