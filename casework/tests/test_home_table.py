"""The casework home's rows written in Python (casework/home_table.py) are the HTML the template's loop wrote:
compared here, byte for byte, with Django's rendering of that loop, over every branch and odd characters."""

import datetime

from django.template import Context, Template

from casework.deadlines import Deadline, Rule
from casework.enums import Cohort, DeadlineKind
from casework.home_table import table_rows
from casework.models import Child
from trust.models import School

# The loop casework/templates/casework/home.html had before.
TEMPLATE_LOOP = """  {% for row in rows %}
    <tr>
      <th scope="row"><a href="{% url 'casework:child' row.child.pk %}">{{ row.child.display_name }}</a><br><span class="hint">{{ row.child.get_year_group_display }} · {{ row.child.get_cohort_display }}</span></th>
      <td>{{ row.child.school.name }}</td>
      <td>{% if row.next %}{{ row.next.label }}:
        {% if row.next.error %}<strong>{{ row.next.error }}</strong>{% else %}{{ row.next.due_on|date:"j M Y" }}
        <span class="hint">({{ row.next.rule_text }})</span>{% endif %}
        {% else %}None open{% endif %}</td>
      <td>{% if row.flags %}<ul class="flags">{% for flag in row.flags %}<li><strong>{{ flag }}</strong></li>{% endfor %}</ul>{% else %}—{% endif %}</td>
    </tr>
  {% endfor %}
"""


def _rows():
    brook = School(pk=1, name="Brook <Primary> & Nursery")
    plain = School(pk=2, name="Meadow")

    def child(pk, school, **fields):
        made = Child(pk=pk, school=school, legal_first_name="Ann", legal_last_name="O'Neil <b>", **fields)
        made.school = school
        return made

    rule = Rule(20, "school")
    return [
        {
            "child": child(7, brook, year_group="R", cohort=Cohort.LOOKED_AFTER),
            "next": Deadline(DeadlineKind.INITIAL_PEP, "Initial PEP", rule, due_on=datetime.date(2026, 9, 4)),
            "flags": ["PEP overdue", 'Report <late> & "missing"'],
        },
        {
            "child": child(12345, plain, year_group="13", cohort=Cohort.KINSHIP_CARE, preferred_name="Annie & Co"),
            "next": Deadline(DeadlineKind.TRANSFER, "Transfer", rule, error="No term dates for <2027/28>"),
            "flags": [],
        },
        {"child": child(8, plain, year_group="N", cohort=Cohort.SOCIAL_WORKER), "next": None, "flags": []},
        {
            "child": child(9, brook, year_group="5", cohort=Cohort.PREVIOUSLY_LOOKED_AFTER),
            "next": Deadline("target", "Targets", rule, text="by each target's own date (calendar days)"),
            "flags": ["Targets past their date"],
        },
    ]


def test_the_rows_are_the_html_the_template_wrote():
    rows = _rows()
    expected = Template(TEMPLATE_LOOP).render(Context({"rows": rows}))
    assert "  " + table_rows(rows) + "\n" == expected


def test_no_rows_write_nothing():
    assert table_rows([]) == ""
