"""The build record, ``locale/built-pages.json``: which localized pages build wrote, with the
hash of what it wrote; read, and saved again over what someone else saved meanwhile."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from .config import Settings
from .errors import CatalogError, conflict_marker_line, excerpt, line_of
from .fsio import SAVE_ATTEMPTS, FileState, atomic_write, read_optional, read_with_state

BUILT_RECORD = "built-pages.json"
"""In the locale folder: which localized pages build wrote, with the hash of what it wrote."""


def _record_hash(data: bytes) -> str:
    """The SHA-256 the build record keeps of each page it wrote (the record is in git, so
    its hashes outlive extrans versions; the cache's shorter ones need not)."""
    return hashlib.sha256(data).hexdigest()


_RECORD_ADVICE = (
    "delete the file: the next build takes back as its own every page that is as it would write it"
)


def _read_record(root: Path, shown: str) -> tuple[dict[str, str], FileState]:
    """The build record (``shown``: its path from the site root), and its state as read."""
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
        record = json.loads(text)
    except json.JSONDecodeError as err:
        raise CatalogError(
            f"cannot read the build record ({err.msg}); mend it, or {_RECORD_ADVICE}",
            shown,
            err.lineno,
        ) from err
    pages = record.get("pages") if isinstance(record, dict) else None
    if not isinstance(pages, dict) or record.get("version") != 1:
        raise CatalogError(
            f'is not a build record ({{"version": 1, "pages": {{...}}}}); {_RECORD_ADVICE}',
            shown,
        )
    return {str(k): str(v) for k, v in pages.items()}


def _leading_out(settings: Settings, path: Path, target: str, folder: str) -> CatalogError:
    """The error for a record entry that ``..`` or a symlink leads outside its content folder:
    a build never reads, writes or deletes it."""
    text = (read_optional(path) or b"").decode("utf-8", errors="replace")
    found = text.find(json.dumps(target, ensure_ascii=False) + ":")
    return CatalogError(
        f"{excerpt(target)} leads outside {folder}/ (through '..' or a symlink); left alone "
        "(remove the entry, or the symlink)",
        f"{settings.locale_dir}/{BUILT_RECORD}",
        line_of(text, found) if found >= 0 else None,
    )


def _record_bytes(pages: Mapping[str, str]) -> bytes:
    body = {"version": 1, "pages": dict(sorted(pages.items()))}
    return (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _save_record(
    root: Path, shown: str, record: Mapping[str, str], as_read: Mapping[str, str], state: FileState
) -> None:
    """Write the record. If someone else wrote it since it was read (a git checkout or
    merge), this run's changes to it (``as_read`` → ``record``) are made to what they wrote
    instead, so that neither side's entries are lost."""
    changed = {target: value for target, value in record.items() if as_read.get(target) != value}
    removed = as_read.keys() - record.keys()
    pages = dict(record)
    for _ in range(SAVE_ATTEMPTS):
        data = _record_bytes(pages)
        if state.sha256 == _record_hash(data):
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
