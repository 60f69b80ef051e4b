from dataclasses import dataclass, field


@dataclass
class DashboardPanel:
    """One section of the signed-in dashboard, rendered from its own template."""

    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100
