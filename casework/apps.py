from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from trust.access import register_admin_reach

        from . import signals  # noqa: F401
        from .models import Delegation

        register_admin_reach(
            "casework delegation", lambda person_id, today: Delegation.objects.filter(delegate_id=person_id).active(today)
        )
