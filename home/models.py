from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from trust.personal_pages import allow_personal_copy


class HomePage(Page):
    """The portal's root page: each person's signed-in dashboard.

    Apps add their sections through the `portal_dashboard_panels` hook: a function taking the request
    and returning a `trust.panels.DashboardPanel` (or None when it has nothing for this person).
    """

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        from .routing import deepest_page

        found = deepest_page(self, path_components) if path_components else None
        if found is None:
            return super().route(request, path_components)
        page, remaining = found
        return page.route(request, remaining)

    def get_view_restrictions(self):
        # Wagtail asks before serving (after trust's own check, trust/page_privacy.py). The home page sits right
        # under the tree's root and is never an alias, so whether any restriction is on its way is known from
        # the restrictions read once per content generation: usually none, and then no query.
        from trust.page_privacy import restricted_on_or_above

        if self.alias_of_id or restricted_on_or_above(self.path):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def serve(self, request, *args, **kwargs):
        if request.method == "GET":
            # What the dashboard shows depends on the content, the person's own records, the casework
            # and the briefing's counts: its copy is kept under all four generations (trust/personal_pages.py).
            allow_personal_copy(request)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        panels = [fn(request) for fn in hooks.get_hooks("portal_dashboard_panels")]
        context["panels"] = sorted((p for p in panels if p is not None), key=lambda p: p.order)
        return context
