"""The result list written in Python (search/result_list.py) is the HTML the template's loop wrote: compared here,
byte for byte, with Django's rendering of that loop, with odd characters in every value."""

from django.template import Context, Template
from django.utils.safestring import mark_safe

from search.query import excerpt, highlight
from search.result_list import result_items

# The loop search/templates/search/results.html had before.
TEMPLATE_LOOP = """    {% for item in items %}
    <li>
      <h2><a href="{{ item.url }}">{{ item.title }}</a></h2>
      <p class="hint">{{ item.kind|capfirst }}</p>
      {% if item.excerpt %}<p>{{ item.excerpt }}</p>{% endif %}
    </li>
    {% endfor %}
"""


def items():
    terms = ["care", "in"]
    return [
        {
            "url": "/policies/children-in-care/?a=1&b=<2>",
            "title": highlight('Children in Care & <Looked-after> "policy"', terms),
            "kind": "policy page",
            "excerpt": excerpt("Intro. " * 50 + "The <b>care</b> plan & 'review'.", terms),
        },
        {"url": "", "title": highlight("Training", terms), "kind": "training <module>", "excerpt": mark_safe("")},
        {"url": "/guidance/x/", "title": highlight("Guidance", []), "kind": "", "excerpt": excerpt("", terms)},
    ]


def test_the_items_are_the_html_the_template_wrote():
    found = items()
    expected = Template(TEMPLATE_LOOP).render(Context({"items": found}))
    assert "    " + result_items(found) + "\n" == expected


def test_no_items_write_nothing():
    assert result_items([]) == ""
