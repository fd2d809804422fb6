"""The shortcode scanner: calls as Hugo's page lexer reads them, on real text."""

from __future__ import annotations

from extrans.formats.shortcodes import (
    Argument,
    Call,
    find_calls,
    find_pairs,
    hidden_calls,
    holds_data,
)

# From the Docsy user guide (Apache-2.0): a card over several lines, its content, its end.
CARD = """{{< card
  header="**Imagine**"
  title="Artist and songwriter: John Lennon"
>}}
Imagine there's no heaven, It's easy if you try
{{< /card >}}
"""


def test_a_call_over_lines_with_named_arguments_and_their_spans() -> None:
    opening, closing = find_calls(CARD)
    assert (opening.name, opening.delimiter, opening.closing) == ("card", "<", False)
    assert CARD[opening.start : opening.end] == CARD[: CARD.index(">}}") + 3]
    header, title = opening.arguments
    assert header == Argument("header", 0, "**Imagine**", 18, 31, '"')
    assert CARD[title.start : title.end] == '"Artist and songwriter: John Lennon"'
    assert (closing.name, closing.closing, closing.arguments) == ("card", True, ())
    [pair] = find_pairs((opening, closing))
    assert CARD[slice(*pair.inner)] == "\nImagine there's no heaven, It's easy if you try\n"


def test_positional_arguments_quoted_raw_and_bare() -> None:
    # From the Vitess website (Apache-2.0): a raw string over a line of its own.
    text = '{{< expand\n`What mysql permissions are needed`\n"fas fa-angle" >}}'
    [call] = find_calls(text)
    assert [(a.name, a.position, a.value, a.quote) for a in call.arguments] == [
        (None, 0, "What mysql permissions are needed", "`"),
        (None, 1, "fas fa-angle", '"'),
    ]
    [call] = find_calls('{{% notice tip "Say \\"hi\\"" %}}')
    assert [(a.value, a.quote) for a in call.arguments] == [("tip", ""), ('Say "hi"', '"')]
    [call] = find_calls("{{< asciinema cast=a.cast loop=true />}}")
    assert call.self_closing and [a.value for a in call.arguments] == ["a.cast", "true"]


def test_escaped_calls_and_text_that_is_no_call() -> None:
    text = "Write `{{</* youtube id */>}}`, not {{< >}} nor {{< x"
    [call] = find_calls(text)
    assert call == Call(7, 29, "", "<", escaped=True)
    assert find_calls("a {{ .Title }} b {{% x >}}") == ()


def test_hidden_calls_keep_offsets_and_lines_and_show_escaped_calls_as_hugo_does() -> None:
    text = 'Text {{< opt name="x"\n>}} after {{</* y */>}}.\n'
    hidden = hidden_calls(text, find_calls(text))
    assert hidden == "Text XXXXXXXXXXXXXXXX\nXXX after {{<   y   >}}.\n"
    assert len(hidden) == len(text)


def test_data_is_told_from_prose() -> None:
    data = [
        '[params]\ndescription = "A site"\n',  # TOML
        "+++\ntitle = 'Roll Up'\n+++\n",  # TOML front matter
        '{"title": "Saw", "weight": 2}',  # JSON
        "disableKinds: [RSS]\n",  # YAML
        "# the menu\nmenu:\n  main:\n    weight: 10\n",
        "- name: a\n  weight: 1\n- name: b\n",
        "params:\n  version: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n",  # a call inside, hidden
    ]
    prose = [
        "Note: Keep your hips still and heavy on the mat.",
        "NOTE: Please sign up for [honeycomb.io](http://honeycomb.io) to obtain a key",
        "- Roll down slowly.\n- Keep the neck long.\n",
        "This is _placeholder content_ :heart:",
        "Just some **text**.",
        "",
    ]
    assert [holds_data(text) for text in data] == [True] * len(data)
    assert [holds_data(text) for text in prose] == [False] * len(prose)
