"""YAML sources that remember where each key stands, for `path:line` messages.

Values are loaded with the fast C loader and with dates left as strings (we
read dates ourselves, in the site's timezone). Line numbers are looked up only
when a message needs one, by composing the node tree of that document.

The loader accepts only what a press office writes by hand: text, numbers,
true/false, lists and mappings. It refuses, with the line, what could be used
to abuse a build or a reader: duplicate keys (the second one silently won),
anchors and aliases (a few lines of `*alias` expand into gigabytes when
anything walks the values), merge keys and other explicit types, control
characters and non-characters in any text (keys too), numbers too long to
convert or too large to mean anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import Message

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Key = str | int

# C0 controls except tab and newline (a lone carriage return too: line ends are "\n" after reading),
# DEL, the C1 controls, lone surrogates and the non-characters U+FFFE/U+FFFF. YAML lets all of them
# in through escapes in double quotes ("\0", "\x01", "\uFFFE"); none of them belongs in a page, a
# feed or a calendar file.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Integers beyond this many digits are refused: none of the front matter's numbers needs more, and
# Python refuses to convert decimal numbers of more than 4300 digits at all.
MAX_DIGITS = 18
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = frozenset({
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
})


def describe_character(character: str) -> str:
    """'U+0000 (a NUL byte)' for a character that must not be shown as it is."""
    code = ord(character)
    name = f"U+{code:04X}"
    if code == 0:
        return f"{name} (a NUL byte)"
    if 0x80 <= code <= 0x9F:
        return f"{name} (a control character; often a Windows-1252 dash or quote saved wrongly)"
    if 0xD800 <= code <= 0xDFFF:
        return f"{name} (half of a UTF-16 pair)"
    if code in (0xFFFE, 0xFFFF):
        return f"{name} (not a character)"
    return f"{name} (a control character)"


def character_problem(text: str) -> str | None:
    """Why `text` may not be used as it is, or None."""
    found = UNSAFE_CHARACTER.search(text)
    if found is None:
        return None
    return Message("the text contains the invisible character %(character)s; delete it (retype the text around it)",
                   character=describe_character(found[0]))


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader without the implicit timestamp and merge types, which records what it refuses.

    A refused value is recorded with its line and loading goes on, so that one
    file's problems are all reported together.
    """

    def __init__(self, stream: str, first_line: int = 1) -> None:
        super().__init__(stream)
        self.first_line = first_line
        self.refused: list[tuple[int, str]] = []  # (file line, message)

    def line(self, node: yaml.Node) -> int:
        return self.first_line + int(node.start_mark.line)

    def refuse(self, node: yaml.Node, message: str) -> None:
        self.refused.append((self.line(node), message))

    def construct_scalar(self, node: yaml.Node) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str):
            problem = character_problem(value)
            if problem is not None:
                self.refuse(node, problem)
        return value

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.refuse(key_node, Message('merge keys ("<<") are not allowed; write each key out'))
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key",
                    key_node.start_mark) from None
            line = self.line(key_node)
            if key in lines:
                self.refuse(key_node, Message('the key "%(key)s" appears twice, on lines %(first)s and %(second)s; '
                                              "keep one of them", key=_shown_key(key), first=lines[key], second=line))
            else:
                lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: yaml.Node) -> int:
        text = str(node.value)
        if len(text) > 4 * MAX_DIGITS:  # before converting: a long number costs time, and may not convert
            self.refuse(node, _too_many_digits())
            return 0
        value: int = super().construct_yaml_int(node)
        if abs(value) >= 10**MAX_DIGITS:
            self.refuse(node, _too_many_digits())
            return 0
        return value

    def construct_yaml_float(self, node: yaml.Node) -> float:
        value: float = super().construct_yaml_float(node)
        if not math.isfinite(value):
            self.refuse(node, Message('the number "%(number)s" is too large or not a number; write a smaller number, '
                                      "or put it in quotes if it is a text", number=str(node.value)[:20]))
            return 0.0
        return value

    def construct_refused(self, node: yaml.Node) -> None:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        self.refuse(node, Message('the YAML type "%(tag)s" is not allowed; front matter holds text, numbers, '
                                  "true/false, lists and mappings (remove the tag)", tag=tag))


def _too_many_digits() -> str:
    return Message("a number with more than %(digits)s digits; if it is a text such as a file number, "
                   "put it in quotes", digits=MAX_DIGITS)


def _shown_key(key: Any) -> str:
    text = UNSAFE_CHARACTER.sub(lambda found: f"\\u{ord(found[0]):04x}", str(key))
    return text if len(text) <= 40 else text[:40] + "…"


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", _MERGE)]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.yaml_constructors = {tag: constructor for tag, constructor in _Base.yaml_constructors.items()
                             if tag in _PLAIN_TAGS}
_Loader.yaml_constructors["tag:yaml.org,2002:int"] = _Loader.construct_yaml_int
_Loader.yaml_constructors["tag:yaml.org,2002:float"] = _Loader.construct_yaml_float
_Loader.yaml_constructors[None] = _Loader.construct_refused
_Loader.yaml_multi_constructors = {}


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message  # a `Message`, translated where it is shown


class YamlRefused(ValueError):
    """The document is YAML, but holds values that front matter may not: every one with its line."""

    def __init__(self, refused: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(message for _, message in refused))
        self.refused = refused


@dataclass
class YamlSource:
    """One YAML document and the file line on which it starts."""

    path: Path
    text: str
    first_line: int = 1
    _tree: yaml.Node | None = field(default=None, repr=False)

    def load(self) -> Any:
        """The document's value; raises YamlSyntaxError or YamlRefused (with every refused value)."""
        try:
            # Anchors are refused before anything is built: an alias is never expanded.
            if "&" in self.text or "*" in self.text:
                self._refuse_anchors()
            loader = _Loader(self.text, self.first_line)
            try:
                value = loader.get_single_data()
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = self.first_line + (mark.line if mark is not None else 0)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise YamlSyntaxError(line, Message("this is not valid YAML: %(problem)s", problem=str(problem))) from None
        if loader.refused:
            raise YamlRefused(loader.refused)
        return value

    def _refuse_anchors(self) -> None:
        refused: list[tuple[int, str]] = []
        for event in yaml.parse(self.text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is None:
                continue
            line = self.first_line + (event.start_mark.line if event.start_mark is not None else 0)
            written = f"*{anchor}" if isinstance(event, yaml.AliasEvent) else f"&{anchor}"
            what = Message("alias") if isinstance(event, yaml.AliasEvent) else Message("anchor")
            refused.append((line, Message('the %(what)s "%(written)s" is not allowed: YAML anchors and aliases are '
                                          "refused in front matter; write the value out", what=what,
                                          written=written)))
        if refused:
            raise YamlRefused(refused)

    def line_of(self, *keys: Key) -> int:
        """The file line of the value at `keys` (or of its nearest parent that exists)."""
        if not keys:
            return 1
        node = self._composed()
        line = node.start_mark.line if node is not None else 0
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node, line = child
        return self.first_line + line

    def written(self, *keys: Key) -> str | None:
        """The plain scalar at `keys` as the file spells it, before YAML made it a number.

        YAML reads `phone: 0201234567` as the octal number 33896823; the digits as written
        are what the author meant.
        """
        node = self._composed()
        for key in keys:
            child = _child(node, key)
            if child is None:
                return None
            node = child[0]
        return node.value if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) else None

    def _composed(self) -> yaml.Node | None:
        if self._tree is None:
            try:
                self._tree = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                return None
        return self._tree


def _child(node: yaml.Node | None, key: Key) -> tuple[yaml.Node, int] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node, key_node.start_mark.line
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        item = node.value[key]
        return item, item.start_mark.line
    return None
