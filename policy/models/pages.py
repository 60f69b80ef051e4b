"""Policy and DfE guidance pages. What they share (audience, acknowledgement, versions) lives in
`AcknowledgeablePage`, so the rule is written once."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from trust import page_versions
from trust.enums import Role
from trust.form_path import FormPath

from ..blocks import BodyBlock, ComprehensionCheckBlock
from ..enums import DEFAULT_WORKING_DAYS, ReviewBasis
from .routes import AcknowledgeableRoutes


def default_audience():
    return [Role.STAFF.value, Role.GOVERNOR.value, Role.DESIGNATED_TEACHER.value]


AUDIENCE_PANELS = MultiFieldPanel(
    [
        FieldPanel("applies_to_all_schools"),
        FieldPanel("schools", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audience_roles"),
    ],
    heading="Who it is for",
)
ACKNOWLEDGEMENT_PANELS = MultiFieldPanel(
    [
        FieldPanel("acknowledgement_required"),
        FieldRowPanel([FieldPanel("acknowledge_within_working_days"), FieldPanel("new_starter_working_days")]),
        FieldPanel("comprehension_check"),
    ],
    heading="Acknowledgement",
)
CHANGE_PANELS = MultiFieldPanel(
    [FieldPanel("change_is_material"), FieldPanel("change_summary")],
    heading="About this change (asked each time you publish or submit for approval)",
)
REVIEW_PANELS = MultiFieldPanel(
    [FieldRowPanel([FieldPanel("review_basis"), FieldPanel("next_review")])],
    heading="Review",
)


class AcknowledgeablePage(AcknowledgeableRoutes, RoutablePageMixin, Page):
    """A page people in its audience may have to read and acknowledge, version by version.

    Versions are Wagtail revisions: publishing records a `PolicyVersion` (see `publish`).
    """

    summary = models.TextField(max_length=600, help_text="Two or three sentences: what this is and who it affects.")
    review_basis = models.CharField(
        "Next review", max_length=16, choices=ReviewBasis.choices, default=ReviewBasis.DATE
    )
    next_review = models.DateField(
        "Review or re-check by",
        null=True,
        blank=True,
        help_text="The review date; for a review on change of regulations, when to re-check the regulations.",
    )
    applies_to_all_schools = models.BooleanField(default=True, help_text="Untick to choose the schools below.")
    schools = ParentalManyToManyField("trust.School", blank=True, related_name="+")
    audience_roles = models.JSONField(
        "Audience", default=default_audience, help_text="The roles that must read it."
    )
    acknowledgement_required = models.BooleanField(
        default=True, help_text="People in the audience must confirm they have read each version."
    )
    acknowledge_within_working_days = models.PositiveSmallIntegerField(
        "Working days to acknowledge after publication", default=DEFAULT_WORKING_DAYS
    )
    new_starter_working_days = models.PositiveSmallIntegerField(
        "Working days to acknowledge after joining", default=DEFAULT_WORKING_DAYS
    )
    comprehension_check = StreamField(
        ComprehensionCheckBlock(),
        blank=True,
        help_text="Optional questions for this version; each has one right answer.",
    )
    change_is_material = models.BooleanField("Is this a material change?", null=True, blank=True)
    change_summary = models.TextField("What changed", blank=True)

    base_form_class = FormPath("policy.forms.AcknowledgeablePageForm")
    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        abstract = True

    # What a reader is shown, and what a read receipt's hash covers (trust/shown_text.py): the body rendered
    # to HTML, kept for good under the revision id once rendered.
    shown_text_is_fixed = True

    def shown_text(self) -> str:
        return str(self.body) if self.body else ""

    # --- serving: only the audience (and the page's editors) see it --------------------------------
    def get_view_restrictions(self):
        # Wagtail asks before serving (after trust's own check, trust/page_privacy.py), with two queries: the
        # ancestors (for aliases) and the restrictions. Whether any restriction or alias is on the way is known
        # from what is kept for the content generation: usually neither, and then no query.
        from trust.page_privacy import alias_on_or_above, restricted_on_or_above

        if self.alias_of_id or restricted_on_or_above(self.path) or alias_on_or_above(self.path):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def serve(self, request, view=None, args=None, kwargs=None):
        from ..page_views import check_reader

        check_reader(self, request, view)
        return super().serve(request, view=view, args=args, kwargs=kwargs)

    def publish(self, revision, user=None, **kwargs):
        result = super().publish(revision, user=user, **kwargs)
        page_versions.record_publication(self, revision, user)  # fills in who published
        return result

    @property
    def kind(self) -> str:
        return self._meta.verbose_name


class PolicyIndexPage(Page):
    intro = models.TextField(blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["policy.PolicyPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        from ..page_views import index_context

        return index_context(self, request.user, PolicyPage, super().get_context(request, *args, **kwargs))


class PolicyPage(AcknowledgeablePage):
    policy_owner = models.CharField(
        "Owner", max_length=120, blank=True, help_text="Who is responsible for it, e.g. Executive head."
    )
    adopted_on = models.DateField("Adopted on", null=True, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    parent_page_types = ["policy.PolicyIndexPage"]
    subpage_types: list = []
    search_fields = AcknowledgeablePage.search_fields + [index.SearchField("body")]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("policy_owner"), FieldPanel("adopted_on")]), REVIEW_PANELS],
            heading="Ownership and review",
        ),
        AUDIENCE_PANELS,
        ACKNOWLEDGEMENT_PANELS,
        CHANGE_PANELS,
    ]

    class Meta:
        verbose_name = "policy"


class GuidanceIndexPage(Page):
    intro = models.TextField(blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["policy.GuidancePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        from ..page_views import index_context

        return index_context(self, request.user, GuidancePage, super().get_context(request, *args, **kwargs))


class GuidancePage(AcknowledgeablePage):
    publisher = models.CharField(max_length=120, default="Department for Education")
    link_url = models.URLField("Link to the guidance", max_length=500)
    published_on = models.DateField("First published", null=True, blank=True)
    updated_on = models.DateField("Last updated by the publisher", null=True, blank=True)
    body = StreamField(BodyBlock(), blank=True, help_text="Optional: the trust's notes on this guidance.")
    acknowledgement_required = models.BooleanField(
        default=False, help_text="Tick when the audience must confirm they have read this guidance."
    )

    parent_page_types = ["policy.GuidanceIndexPage"]
    subpage_types: list = []
    search_fields = AcknowledgeablePage.search_fields + [index.SearchField("publisher"), index.SearchField("body")]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FieldPanel("link_url"),
                FieldRowPanel([FieldPanel("published_on"), FieldPanel("updated_on")]),
            ],
            heading="The guidance",
        ),
        FieldPanel("body"),
        REVIEW_PANELS,
        AUDIENCE_PANELS,
        ACKNOWLEDGEMENT_PANELS,
        CHANGE_PANELS,
    ]

    class Meta:
        verbose_name = "DfE guidance"
        verbose_name_plural = "DfE guidance"
