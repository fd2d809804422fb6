"""Language codes: Hugo's, gettext's and Babel's readings of them agree."""

from __future__ import annotations

import pytest
from babel import Locale
from babel.localedata import locale_identifiers

from extrans.formats.languages import (
    _parse,
    _parse_known,
    gettext_code,
    language_name,
    plural_forms,
    validate_code,
)

from .conftest import imported_by


def test_a_code_babel_has_data_for_is_read_as_babel_reads_it() -> None:
    compared = 0
    for identifier in locale_identifiers():
        for code in (identifier, identifier.lower().replace("_", "-")):
            known = _parse_known(code)
            if known is None:
                continue
            locale = Locale.parse(code.replace("_", "-"), sep="-")
            assert known == (locale.language, locale.territory, locale.script), code
            compared += 1
    assert compared > 1000


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("es", ("es", None, None)),
        ("pt-br", ("pt", "BR", None)),
        ("zh-hans", ("zh", None, "Hans")),
        ("sr-latn", ("sr", None, "Latn")),
        ("es-419", ("es", "419", None)),
        ("zh-tw", None),  # no zh_TW file: Babel resolves it (to zh_Hant_TW)
        ("en-us-posix", None),
        ("xx", None),
        ("", None),
    ],
)
def test_what_is_read_without_babel(
    code: str, expected: tuple[str, str | None, str | None] | None
) -> None:
    assert _parse_known(code) == expected


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


def test_the_usual_codes_do_not_import_babel() -> None:
    script = (
        "from extrans.formats.languages import gettext_code, plural_forms, validate_code\n"
        "for code in ('es', 'pt-br', 'de', 'zh-hans'):\n"
        "    validate_code(code), gettext_code(code), plural_forms(code)\n"
    )
    assert imported_by(script, "babel") == []


def test_a_long_language_code_is_quoted_as_an_excerpt() -> None:
    with pytest.raises(ValueError) as raised:
        gettext_code("x" * 10_000)
    assert len(str(raised.value)) < 80, str(raised.value)
