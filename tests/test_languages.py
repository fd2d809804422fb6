"""Language codes: Hugo's, gettext's and Babel's readings of them agree."""

from __future__ import annotations

import pytest
from babel.localedata import locale_identifiers

from extrans.languages import (
    _parse,
    gettext_code,
    language_name,
    plural_forms,
    validate_code,
)


@pytest.mark.parametrize(
    ("code", "gettext", "plural"),
    [
        ("es", "es", "nplurals=2; plural=(n != 1);"),
        ("pt-br", "pt_BR", "nplurals=2; plural=(n > 1);"),
        ("zh-tw", "zh_TW", "nplurals=1; plural=0;"),
        ("zh-hans", "zh_CN", "nplurals=1; plural=0;"),
        (
            "sr-latn",
            "sr@latin",
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        ),
    ],
)
def test_gettext_codes_and_plural_forms(code: str, gettext: str, plural: str) -> None:
    assert (gettext_code(code), plural_forms(code)) == (gettext, plural)


def test_every_code_accepted_has_a_plural_rule_and_a_name() -> None:
    """A code validate_code accepts never fails later: ``yue-hant`` is ``yue_TW`` to gettext,
    a locale Babel has no data for (extract exited 70), so the rule of its language is used."""
    for identifier in locale_identifiers():
        code = identifier.replace("_", "-").lower()
        try:
            validate_code(code)
        except ValueError:
            continue
        assert plural_forms(code).startswith("nplurals="), code
        assert language_name(code), code
    assert plural_forms("yue-hant") == "nplurals=1; plural=0;"


def test_an_unknown_code_is_refused() -> None:
    _parse.cache_clear()
    with pytest.raises(ValueError, match="unknown language code 'xx'"):
        validate_code("xx")
