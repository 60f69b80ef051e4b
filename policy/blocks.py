"""StreamField blocks for policy and guidance text, and for a version's comprehension check."""

import hashlib

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

INLINE_FEATURES = ["bold", "italic", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "policy/blocks/heading.html"
        form_classname = "title"


class SubheadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "policy/blocks/subheading.html"


class ListBlock(blocks.StructBlock):
    numbered = blocks.BooleanBlock(required=False, help_text="Number the items instead of using bullets.")
    items = blocks.ListBlock(blocks.RichTextBlock(features=INLINE_FEATURES), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "policy/blocks/list.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=INLINE_FEATURES)
    important = blocks.BooleanBlock(required=False, help_text="Show as a warning rather than a note.")

    class Meta:
        icon = "warning"
        template = "policy/blocks/callout.html"


class GuidanceLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(page_type="policy.GuidancePage", help_text="The DfE guidance to link to.")
    text = blocks.CharBlock(required=False, help_text="Link text; the guidance title when empty.")

    class Meta:
        icon = "link"
        template = "policy/blocks/guidance_link.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    subheading = SubheadingBlock()
    paragraph = blocks.RichTextBlock(features=INLINE_FEATURES, template="policy/blocks/paragraph.html")
    list = ListBlock()
    callout = CalloutBlock()
    guidance_link = GuidanceLinkBlock()


class QuestionBlock(blocks.StructBlock):
    """One multiple-choice question with exactly one right answer."""

    question = blocks.CharBlock(max_length=300)
    correct_answer = blocks.CharBlock(max_length=200, help_text="The one right answer.")
    other_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=200), min_num=1, max_num=5, help_text="Plausible wrong answers."
    )
    hint = blocks.CharBlock(required=False, max_length=200, help_text="Where in the policy the answer is.")

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        correct = value["correct_answer"].strip().casefold()
        others = [a.strip().casefold() for a in value["other_answers"]]
        if correct in others:
            raise StructBlockValidationError(
                {"other_answers": ValidationError("A wrong answer must not repeat the right answer.")}
            )
        if len(set(others)) != len(others):
            raise StructBlockValidationError({"other_answers": ValidationError("Each answer must be different.")})
        return value


class ComprehensionCheckBlock(blocks.StreamBlock):
    question = QuestionBlock()


def shuffled_options(block_id: str, value) -> list[str]:
    """The answers in a stable order that does not give the right one away."""
    options = [value["correct_answer"], *value["other_answers"]]
    return sorted(options, key=lambda text: hashlib.sha256(f"{block_id}:{text}".encode()).hexdigest())
