"""Language codes: Hugo's (``pt-br``), gettext's (``pt_BR``), their names and plural forms."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from ..errors import excerpt

if TYPE_CHECKING:
    from babel.plural import PluralRule

__all__ = ["cldr_plural_rule", "gettext_code", "language_name", "plural_forms", "validate_code"]

# gettext's and Poedit's expressions (gettext-tools/src/plural-table.c), by the languages that
# use each; Babel's CLDR-derived rules differ from them for several languages (ar, pt among
# them), and Poedit rewrites a Plural-Forms it does not recognise.
_SLAVIC = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
_PLURAL_FORMS = {
    code: f"nplurals={rule};"
    for codes, rule in (
        ("ja vi ko zh th id ms", "1; plural=0"),
        (
            "tr en de nl sv da no nb nn fo es pt it bg el fi et he eo hu ca eu gl hi",
            "2; plural=(n != 1)",
        ),
        ("pt_BR fr", "2; plural=(n > 1)"),
        ("lv", "3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"),
        ("ga", "3; plural=n==1 ? 0 : n==2 ? 1 : 2"),
        ("ro", "3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2)"),
        ("lt", "3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"),
        ("ru uk be sr hr", f"3; plural={_SLAVIC}"),
        ("cs sk", "3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),
        ("pl", "3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
        ("sl", "4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"),
        (
            "ar",
            "6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
            "n%100>=11 ? 4 : 5)",
        ),
    )
    for code in codes.split()
}

_LOCAL_USE = re.compile(r"q[a-t][a-z]")
"""ISO 639's codes reserved for local use, ``qaa`` to ``qtz``, which no CLDR file describes:
``qps`` (a pseudo-translation, as Windows calls it) is one. Their catalogs take English's
plural forms, a pseudo-translation's source being English's in most sites."""

# Hugo codes carry a script where gettext uses a territory or a modifier.
_SCRIPT_TO_GETTEXT = {"Hans": "_CN", "Hant": "_TW", "Latn": "@latin", "Cyrl": "@cyrillic"}


class _Code(NamedTuple):
    """A language code as Babel reads it."""

    language: str
    territory: str | None
    script: str | None


@cache
def _parse(code: str) -> _Code:
    if _LOCAL_USE.fullmatch(code):
        return _Code(code, None, None)
    parsed = _parse_known(code)
    if parsed is not None:
        return parsed
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError) as err:
        raise ValueError(f"unknown language code {excerpt(code)}") from err
    return _Code(locale.language, locale.territory, locale.script)


def _parse_known(code: str) -> _Code | None:
    """What Babel's ``Locale.parse`` gives for ``language[-script][-territory]`` whose CLDR
    file Babel ships (what it tries first), without importing Babel, which most runs never
    need; ``None`` for any other code."""
    parts = code.replace("_", "-").split("-")
    language = parts.pop(0).lower()
    script = territory = None
    if parts and len(parts[0]) == 4 and parts[0].isalpha():
        script = parts.pop(0).title()
    if parts and (
        (len(parts[0]) == 2 and parts[0].isalpha()) or (len(parts[0]) == 3 and parts[0].isdigit())
    ):
        territory = parts.pop(0).upper()
    if parts or not (language.isascii() and language.isalpha()):
        return None
    identifier = "_".join(part for part in (language, script, territory) if part)
    if not os.path.isfile(os.path.join(_locale_data(), identifier + ".dat")):
        return None
    return _Code(language, territory, script)


@cache
def _locale_data() -> str:
    """The folder of Babel's CLDR files, found without importing Babel."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:  # pragma: no cover (Babel is a dependency)
        return ""
    return os.path.join(os.path.dirname(spec.origin), "locale-data")


def validate_code(code: str) -> None:
    """Raise ``ValueError`` unless ``code`` names a language Babel knows (``es``, ``pt-br``)."""
    _parse(code)


def gettext_code(code: str) -> str:
    """The gettext form of a Hugo language code: ``pt-br`` → ``pt_BR``, ``zh-hans`` → ``zh_CN``,
    ``sr-latn`` → ``sr@latin``."""
    language, territory, script = _parse(code)
    suffix = f"_{territory}" if territory else ""
    if script:
        mapped = _SCRIPT_TO_GETTEXT.get(script, "")
        if mapped.startswith("_"):
            suffix = suffix or mapped
        else:
            suffix += mapped
    return language + suffix


def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` header value gettext and Poedit use for ``code``."""
    gettext = gettext_code(code)
    if _LOCAL_USE.fullmatch(gettext):
        return _PLURAL_FORMS["en"]
    base = gettext.split("@")[0]
    for candidate in (base, base.split("_")[0]):
        if candidate in _PLURAL_FORMS:
            return _PLURAL_FORMS[candidate]
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    for candidate in (
        base,
        _parse(code).language,
    ):  # (yue-hant is yue_TW to gettext, unknown to Babel)
        try:
            rule = get_plural(candidate)
        except UnknownLocaleError:
            continue
        return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"
    raise ValueError(f"no plural rule is known for {excerpt(code)}")


def cldr_plural_rule(code: str) -> PluralRule:
    """Babel's CLDR plural rule for ``code``: what Hugo's i18n tables choose a form by
    (English's for a code of local use, as :func:`plural_forms`)."""
    from babel import Locale

    if _LOCAL_USE.fullmatch(code):
        return Locale("en").plural_form
    language, territory, script = _parse(code)
    return Locale(language, territory, script).plural_form


def language_name(code: str) -> str:
    """``es`` → ``Spanish (español)``; ``qps`` → ``pseudo-translation (qps)``."""
    from babel import Locale

    if _LOCAL_USE.fullmatch(code):
        return f"{'pseudo-translation' if code == 'qps' else 'local use'} ({code})"
    language, territory, script = _parse(code)
    locale = Locale(language, territory, script)
    english = locale.get_display_name("en") or code
    native = locale.get_display_name(locale) or ""
    return english if native in ("", english) else f"{english} ({native})"
