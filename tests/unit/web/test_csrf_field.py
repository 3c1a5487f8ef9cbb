"""``{{ csrf() }}``: the hidden field every form carries, with the page's token or a loud failure."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from microcareer.web.templating import csrf_field, templates


def test_the_field_carries_the_pages_token_escaped() -> None:
    page = templates.env.from_string("<form>{{ csrf() }}</form>")
    assert 'name="csrf_token" value="abc-123"' in page.render(csrf_token="abc-123")
    assert 'value="&#34;&gt;&lt;b&gt;"' in page.render(csrf_token='"><b>')
    assert 'value=""' in page.render(csrf_token=None)  # signed out: no token, and the server refuses


def test_a_macro_that_cannot_see_the_page_fails_instead_of_sending_an_empty_token() -> None:
    env = Environment(
        autoescape=True,
        loader=DictLoader(
            {
                "macros.html": "{% macro form() %}<form>{{ csrf() }}</form>{% endmacro %}",
                "page.html": '{% from "macros.html" import form %}{{ form() }}',
                "page_with_context.html": '{% from "macros.html" import form with context %}{{ form() }}',
            }
        ),
    )
    env.globals["csrf"] = csrf_field
    with pytest.raises(RuntimeError, match="csrf_token is not visible"):
        env.get_template("page.html").render(csrf_token="abc")
    assert 'value="abc"' in env.get_template("page_with_context.html").render(csrf_token="abc")
