"""The routes of an acknowledgeable page (Wagtail's RoutablePageMixin): each hands the page to its view in
policy/page_views.py, so that the models import no forms or services."""

from wagtail.contrib.routable_page.models import path


class AcknowledgeableRoutes:
    """Mixed into `AcknowledgeablePage`; every route is reached through the page's `serve`, which has
    already refused (404) anyone who may not read the page."""

    def get_template(self, request, *args, **kwargs):
        return "policy/acknowledgeable_page.html"

    def get_context(self, request, *args, form=None, **kwargs):
        from .. import page_views

        return page_views.page_context(self, request, super().get_context(request, *args, **kwargs), form=form)

    def url_for(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs).lstrip("/")

    @path("acknowledge/", name="acknowledge")
    def acknowledge_view(self, request):
        from .. import page_views

        return page_views.acknowledge(self, request)

    @path("versions/", name="versions")
    def versions_view(self, request):
        from .. import page_views

        return page_views.versions(self, request)

    @path("versions/<int:revision_id>/", name="version")
    def version_view(self, request, revision_id):
        from .. import page_views

        return page_views.version(self, request, revision_id)

    @path("changes/", name="changes")
    def changes_view(self, request):
        from .. import page_views

        return page_views.changes(self, request)
