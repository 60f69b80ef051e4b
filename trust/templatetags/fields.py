"""Form fields as every front-end form shows them (templates/includes/field.html)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def option_input(choice) -> str:
    """The <input> of one radio or checkbox option, exactly as Django's widget templates write it (`choice.tag`:
    radio_option.html, input_option.html, input.html and attrs.html), without rendering those four templates for
    each option: on a policy page with a comprehension check they were half the work of its template."""
    widget = choice.data
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    attrs = format_html_join(
        "",
        " {}{}",
        (
            (name, "" if given is True else format_html('="{}"', given))
            for name, given in widget["attrs"].items()
            if given is not False
        ),
    )
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, attrs)
