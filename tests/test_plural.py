"""The Plural-Forms check against its oracle: for any header, extrans finds a problem exactly
when ``msgfmt -c`` refuses the catalog, and says it in msgfmt's words."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from extrans.formats.plural import plural_forms_problem

from .conftest import needs_gettext

PIECES = [
    "n", "0", "1", "2", "3", "10", "100", "1000", "==", "!=", "<", ">", "<=", ">=", "&&", "||",
    "?", ":", "(", ")", "!", "+", "-", "*", "/", "%", " ", "\t", "=", "x",
]  # fmt: skip
KNOWN = [
    "nplurals=2; plural=(n != 1);",
    "nplurals=1; plural=0;",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
    "n%100>=20) ? 1 : 2);",
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
]


def msgfmt_says(tmp: Path, value: str) -> str | None:
    catalog = tmp / "h.po"
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {value}\\n"\n\nmsgid "a"\nmsgstr "b"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(catalog)], capture_output=True, text=True
    )
    if done.returncode == 0:
        return None
    prefix = f"{catalog}:2: "
    return next(line[len(prefix) :] for line in done.stderr.splitlines() if line.startswith(prefix))


OPERATORS = ["==", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%"]
expressions = st.recursive(
    st.sampled_from(["n", "0", "1", "2", "5", "10", "100", "18446744073709551615"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(OPERATORS), inner).map(" ".join),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"!{e}"),
    ),
    max_leaves=8,
)


@st.composite
def plural_forms(draw: st.DrawFn) -> str:
    """Languages' real rules, expressions as C writes them, and soups of their pieces."""
    count = draw(st.sampled_from(["1", "2", "3", " 2", "0", "x", "99999999999999999999999"]))
    kind = draw(st.sampled_from(["known", "expression", "soup"]))
    if kind == "known":
        return draw(st.sampled_from(KNOWN))
    if kind == "expression":
        return f"nplurals={count}; plural={draw(expressions)};"
    rule = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=12)))
    return f"nplurals={count}; plural={rule};"


@needs_gettext
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plural_forms())
def test_the_check_says_what_msgfmt_says(
    tmp_path_factory: pytest.TempPathFactory, value: str
) -> None:
    expected = msgfmt_says(tmp_path_factory.mktemp("plural"), value)
    event(f"msgfmt -c: {(expected or 'accepts').split(' but ')[0]}")
    assert plural_forms_problem(f"Plural-Forms: {value}\n") == expected


TOO_DEEP = "plural expression nested more than 50 deep, which extrans does not read"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("nplurals=2; plural=n != 1", None),
        ("plural=n != 1;", None),  # (no nplurals: gettext checks nothing)
        ("nplurals=2; plural=(n!=1", "invalid plural expression"),
        ("nplurals=2; plural=-1;", "invalid plural expression"),
        ("nplurals=x; plural=n!=1;", "invalid nplurals value"),
        ("nplurals=2; plural=1/(n-5);", "plural expression can produce division by zero"),
        ("nplurals=2; plural=n==1001;", None),  # (n goes to 1000)
        (
            "nplurals=2; plural=2-n;",
            "nplurals = 2 but plural expression can produce values as large as 2",
        ),
        # Python reads no integer over 4,300 digits; gettext wraps a number around at 2**64
        # and reads a larger nplurals as the largest.
        (f"nplurals=2; plural={'9' * 5000};", "plural expression can produce negative values"),
        (f"nplurals=2; plural=1{'0' * 5000};", None),
        (f"nplurals={'9' * 5000}; plural=n;", None),
        (
            f"nplurals={'0' * 5000}2; plural=n;",
            "nplurals = 2 but plural expression can produce values as large as 2",
        ),
        # A run of one precedence nests nothing; nesting is bounded before Python's stack is.
        (
            f"nplurals=2; plural={' + '.join(['n'] * 20_000)};",
            "nplurals = 2 but plural expression can produce values as large as 20000",
        ),
        (f"nplurals=2; plural={'(' * 50}n != 1{')' * 50};", None),
        (f"nplurals=2; plural={'!' * 50}n;", None),
        (f"nplurals=2; plural={'(' * 51}n != 1{')' * 51};", TOO_DEEP),
        (f"nplurals=2; plural={'!' * 51}n;", TOO_DEEP),
        (f"nplurals=2; plural={'n ? 1 : ' * 51}0;", TOO_DEEP),
        (f"nplurals=2; plural={'(' * 5000}n{')' * 5000};", TOO_DEEP),
    ],
)
def test_plural_forms_problems(value: str, problem: str | None) -> None:
    assert plural_forms_problem(f"Plural-Forms: {value}\n") == problem
