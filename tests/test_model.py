"""fast_init: the records made by the hundred thousand are built as their dataclass builds them."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import dataclass, field

import pytest

from extrans.blocks import Block
from extrans.catalog import Message
from extrans.frontmatter import FieldValue
from extrans.markdown import _Piece
from extrans.model import Segment, fast_init


@dataclass(frozen=True, slots=True)
class Slow:
    name: str
    count: int = 0
    note: str | None = field(default=None, compare=False)


@fast_init
@dataclass(frozen=True, slots=True)
class Fast:
    name: str
    count: int = 0
    note: str | None = field(default=None, compare=False)


def fields_of(record: object) -> list[object]:
    return [getattr(record, f.name) for f in dataclasses.fields(record)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("a",), {}), (("a", 2), {}), (("a", 2, "n"), {}), ((), {"name": "a", "note": "n"})],
)
def test_a_fast_record_is_the_record_the_dataclass_makes(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    fast, slow = Fast(*args, **kwargs), Slow(*args, **kwargs)  # type: ignore[arg-type]
    assert fields_of(fast) == fields_of(slow)  # the fields equality ignores too
    assert repr(fast) == repr(slow).replace("Slow", "Fast")
    assert fast == Fast(*args, **kwargs) and hash(fast) == hash(Fast(*args, **kwargs))  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(fast)) == fast
    assert dataclasses.replace(fast, count=5).count == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.name = "b"  # type: ignore[misc]


def test_a_fast_record_refuses_what_its_dataclass_refuses() -> None:
    with pytest.raises(TypeError):
        Fast()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast("a", 1, "n", "extra")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast("a", nothing=1)  # type: ignore[call-arg]


@pytest.mark.parametrize("record", [Block, Message, Segment, FieldValue, _Piece])
def test_the_hot_records_keep_their_dataclass_signature(record: type) -> None:
    init = vars(record)["__init__"]
    assert init.__qualname__ == f"{record.__qualname__}.__init__"
    parameters = list(inspect.signature(init).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(record)
    ]
    assert "__setattr__" not in init.__code__.co_names  # (the dataclass one calls it)


def test_fast_init_takes_only_what_it_can_build() -> None:
    @dataclass(frozen=True, slots=True)
    class Factory:
        items: list[str] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Keywords:
        name: str

    for record in (Factory, Checked, Keywords):
        with pytest.raises(TypeError):
            fast_init(record)
