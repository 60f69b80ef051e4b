from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from trust import page_versions
from trust.enums import Role
from trust.form_path import FormPath


class QuestionBlock(blocks.StructBlock):
    """One comprehension question with one right answer."""

    question = blocks.CharBlock(max_length=300)
    options = blocks.ListBlock(blocks.CharBlock(max_length=200, label="Option"), min_num=2, max_num=6)
    correct_option = blocks.IntegerBlock(
        min_value=1, max_value=6, help_text="The number of the right option: 1 for the first, 2 for the second…"
    )

    def clean(self, value):
        value = super().clean(value)
        if not 1 <= value["correct_option"] <= len(value["options"]):
            raise StructBlockValidationError(
                block_errors={"correct_option": ValidationError(f"Choose a number from 1 to {len(value['options'])}.")}
            )
        return value

    class Meta:
        icon = "help"
        label = "Question"


BODY_BLOCKS = [
    ("heading", blocks.CharBlock(form_classname="title", icon="title")),
    ("paragraph", blocks.RichTextBlock(features=["bold", "italic", "ol", "ul", "link", "document-link"])),
    ("document", DocumentChooserBlock(icon="doc-full")),
    ("video", EmbedBlock(icon="media", help_text="A link to the video (e.g. on the trust's video service).")),
]


class TrainingIndexPage(Page):
    """/training/: the modules the person is asked to complete, with their own progress."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["training.TrainingModulePage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = "training index"

    def serve(self, request, *args, **kwargs):
        from ..page_views import check_index_access

        check_index_access(request)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..page_views import index_context

        return index_context(self, request, super().get_context(request, *args, **kwargs))


class TrainingModulePage(Page):
    summary = models.TextField(max_length=500, help_text="One or two sentences: what this training covers.")
    body = StreamField(BODY_BLOCKS, use_json_field=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(600)], help_text="About how long it takes."
    )
    is_required = models.BooleanField(
        "required", default=True, help_text="Everyone in the audience must complete it to be fully briefed."
    )
    comprehension_check = StreamField(
        [("question", QuestionBlock())],
        blank=True,
        use_json_field=True,
        help_text="Optional: questions the person must answer correctly to complete the module.",
    )
    change_is_material = models.BooleanField("Is this a material change?", null=True, blank=True)
    change_summary = models.TextField("What changed", blank=True)

    base_form_class = FormPath("training.admin_forms.TrainingModulePageForm")
    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types: list = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("is_required"),
                InlinePanel("audience", min_num=1, label="Role"),
            ],
            heading="Who it is for",
        ),
        InlinePanel("related_pages", label="Related policy or guidance"),
        FieldPanel("comprehension_check"),
        MultiFieldPanel(
            [FieldPanel("change_is_material"), FieldPanel("change_summary")],
            heading="About this change (asked each time you publish or submit for approval)",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "training module"

    # Addresses under /training/ that belong to the portal's own screens (training/urls.py).
    RESERVED_SLUGS = frozenset({"receipts", "local-authority"})

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the portal itself: choose another slug."})

    def audience_roles(self) -> list[str]:
        return [row.role for row in self.audience.all()]

    def questions(self):
        """(id, question, options, correct index 0-based) for each question of the check."""
        return [
            (block.id, block.value["question"], list(block.value["options"]), block.value["correct_option"] - 1)
            for block in self.comprehension_check
        ]

    def shown_text(self) -> str:
        """The text a person is shown, normalised, in a stable order: what a completion's hash covers
        (trust/shown_text.py). Document titles are read when it is called, so it is not cached."""
        parts = [self.title, self.summary]
        for block in self.body:
            if block.block_type in ("document", "video"):
                value = block.value
                parts.append(f"[{block.block_type}] {getattr(value, 'title', None) or getattr(value, 'url', value)}")
            else:
                parts.append(strip_tags(str(block.value.source if hasattr(block.value, "source") else block.value)))
        for _id, question, options, _correct in self.questions():
            parts.append(question)
            parts.extend(options)
        return "\n".join(" ".join(str(p).split()) for p in parts if p)

    def publish(self, revision, user=None, **kwargs):
        result = super().publish(revision, user=user, **kwargs)
        page_versions.record_publication(self, revision, user)  # fills in who published
        return result

    def serve(self, request, *args, **kwargs):
        from ..page_views import serve_module

        return serve_module(self, request, lambda: super(TrainingModulePage, self).serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from ..page_views import module_context

        return module_context(self, request, super().get_context(request, *args, **kwargs))


class TrainingModuleAudience(models.Model):
    """A role the module is for. A module is for everyone holding any of its roles."""

    page = ParentalKey(TrainingModulePage, on_delete=models.CASCADE, related_name="audience")
    role = models.CharField(max_length=32, choices=Role.choices)

    panels = [FieldPanel("role")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "role"], name="one_audience_row_per_module_and_role")]

    def __str__(self):
        return self.get_role_display()


class TrainingRelatedPage(Orderable):
    """A policy or guidance page this training supports (any page: training does not import policy)."""

    module = ParentalKey(TrainingModulePage, on_delete=models.CASCADE, related_name="related_pages")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page")]
