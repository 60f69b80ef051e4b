"""The casework home's table rows, written in Python: the same HTML the template's loop wrote (checked against it in
casework/tests/test_home_table.py), for about a twentieth of the calls. Each row's child link, choices and due date
went through the {% url %} tag, get_FOO_display (the field's choices flattened afresh each time) and the date filter.
"""

import html

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeData, mark_safe

from .models import Child

_YEAR_GROUPS = None
_COHORTS = None


def _choices():
    global _YEAR_GROUPS, _COHORTS  # noqa: PLW0603 - the fields' choices are fixed in code: read once per process
    if _YEAR_GROUPS is None:
        _YEAR_GROUPS = dict(Child._meta.get_field("year_group").flatchoices)
        _COHORTS = dict(Child._meta.get_field("cohort").flatchoices)
    return _YEAR_GROUPS, _COHORTS


def _text(value) -> str:
    """As the template wrote a value: escaped unless already safe (Django's conditional_escape, in fewer calls)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _day(day) -> str:
    """Django's date filter with "j M Y" (7 Dec 2026); nothing for no date."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year}" if day else ""


def _next_cell(deadline) -> str:
    if not deadline:
        return "None open"
    label = _text(deadline.label)
    if deadline.error:
        return f"{label}:\n        <strong>{_text(deadline.error)}</strong>\n        "
    rule = _text(deadline.rule_text)
    return f'{label}:\n        {_day(deadline.due_on)}\n        <span class="hint">({rule})</span>\n        '


def _flags_cell(flags) -> str:
    if not flags:
        return "—"
    return '<ul class="flags">' + "".join(f"<li><strong>{_text(f)}</strong></li>" for f in flags) + "</ul>"


def table_rows(rows) -> str:
    """The <tr> of each row ({"child", "next", "flags"}), in order."""
    year_groups, cohorts = _choices()
    link_start, link_end = reverse("casework:child", args=[0]).rsplit("0", 1)
    out = []
    for row in rows:
        child = row["child"]
        year_group = year_groups.get(child.year_group, child.year_group)
        cohort = cohorts.get(child.cohort, child.cohort)
        out.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{link_start}{child.pk}{link_end}">{_text(child.display_name)}</a>'
            f'<br><span class="hint">{_text(year_group)} · {_text(cohort)}</span></th>\n'
            f"      <td>{_text(child.school.name)}</td>\n"
            f"      <td>{_next_cell(row['next'])}</td>\n"
            f"      <td>{_flags_cell(row['flags'])}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped above
