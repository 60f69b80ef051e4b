from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = "Policy hub"

    def ready(self):
        from trust import page_versions

        from .models import AcknowledgeablePage, PolicyVersion

        page_versions.register(AcknowledgeablePage, PolicyVersion, log_action="policy.version_recorded")
