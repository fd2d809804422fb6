"""The build record, ``locale/built-pages.json``: which localized pages build wrote, with the
SHA-256 of what it wrote (the record is in git, so its hashes outlive extrans versions)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError, conflict_marker_line, excerpt, line_of
from ..formats.readers import JsonError, load_json
from ..plumbing.fsio import SAVE_ATTEMPTS, FileState, atomic_write, read_optional, read_with_state
from ..site.config import Settings

__all__ = ["BuildRecord", "leading_out", "read_record", "record_hash", "save_record"]

_RECORD_ADVICE = (
    "delete the file: the next build takes back as its own every page that is as it would write it"
)


@dataclass(slots=True)
class BuildRecord:
    """The record as one build reads, changes and saves it."""

    path: str
    """From the site root."""
    pages: dict[str, str]
    """Localized page → the hash of what build wrote there."""
    as_read: Mapping[str, str]
    state: FileState


def record_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_record(settings: Settings) -> BuildRecord:
    shown = f"{settings.locale_dir}/built-pages.json"
    pages, state = _read_record(settings.site_root, shown)
    return BuildRecord(shown, pages, dict(pages), state)


def _read_record(root: Path, shown: str) -> tuple[dict[str, str], FileState]:
    data, state = read_with_state(root / shown, shown, root, error=CatalogError)
    return ({} if data is None else _parse_record(data, shown)), state


def _parse_record(data: bytes, shown: str) -> dict[str, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise CatalogError(f"not UTF-8; mend it, or {_RECORD_ADVICE}", shown, line) from err
    conflict = conflict_marker_line(text)
    if conflict is not None:
        raise CatalogError(
            f"unresolved merge conflict marker; resolve the conflict, or {_RECORD_ADVICE}",
            shown,
            conflict,
        )
    try:
        record = load_json(text)
    except JsonError as err:
        raise CatalogError(
            f"cannot read the build record ({err.message}); mend it, or {_RECORD_ADVICE}",
            shown,
            err.line,
        ) from err
    pages = record.get("pages") if isinstance(record, dict) else None
    if not isinstance(pages, dict) or record.get("version") != 1:
        raise CatalogError(
            f'is not a build record ({{"version": 1, "pages": {{...}}}}); {_RECORD_ADVICE}',
            shown,
        )
    for page, hashed in pages.items():
        if not isinstance(hashed, str):
            raise CatalogError(
                f"the entry {excerpt(page)} holds {excerpt(hashed)}, not the hash of a page; "
                f"mend it, or {_RECORD_ADVICE}",
                shown,
                _entry_line(text, page),
            )
    return pages


def _entry_line(text: str, page: str) -> int | None:
    """The line of ``page``'s entry in the record's ``text``."""
    found = re.search(re.escape(json.dumps(page, ensure_ascii=False)) + r"\s*:", text)
    return None if found is None else line_of(text, found.start())


def leading_out(settings: Settings, record: BuildRecord, target: str, folder: str) -> CatalogError:
    """The error for a record entry that ``..`` or a symlink leads outside its content folder:
    a build never reads, writes or deletes it."""
    text = (read_optional(settings.site_root / record.path) or b"").decode("utf-8", "replace")
    return CatalogError(
        f"{excerpt(target)} leads outside {folder}/ (through '..' or a symlink); left alone "
        "(remove the entry, or the symlink)",
        record.path,
        _entry_line(text, target),
    )


def save_record(root: Path, record: BuildRecord) -> None:
    """Write the record if it changed or is missing. If someone else wrote it since it was read
    (a git checkout or merge), this run's changes to it are made to what they wrote instead,
    so that neither side's entries are lost."""
    if record.pages == record.as_read and record.state.inode is not None:
        return
    as_read, state, shown = record.as_read, record.state, record.path
    changed = {t: value for t, value in record.pages.items() if as_read.get(t) != value}
    removed = as_read.keys() - record.pages.keys()
    pages = dict(record.pages)
    for _ in range(SAVE_ATTEMPTS):
        body = {"version": 1, "pages": dict(sorted(pages.items()))}
        data = (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        if state.sha256 == record_hash(data):
            return
        if atomic_write(root / shown, data, root=root, expected=state):
            return
        theirs, state = _read_record(root, shown)
        pages = {t: v for t, v in theirs.items() if t not in removed} | changed
    raise CatalogError(
        f"was saved again each time build wrote it ({SAVE_ATTEMPTS} times); left as it is: "
        "run build again",
        shown,
    )
