"""YAML sources that remember where each key stands, for `path:line` messages.

Values are loaded with the fast C loader and with dates left as strings (we
read dates ourselves, in the site's timezone). Line numbers are looked up only
when a message needs one, by composing the node tree of that document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader without the implicit timestamp type."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

Key = str | int


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class YamlSource:
    """One YAML document and the file line on which it starts."""

    path: Path
    text: str
    first_line: int = 1
    _tree: yaml.Node | None = field(default=None, repr=False)

    def load(self) -> Any:
        try:
            return yaml.load(self.text, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = self.first_line + (mark.line if mark is not None else 0)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise YamlSyntaxError(line, f"this is not valid YAML: {problem}") from None

    def line_of(self, *keys: Key) -> int:
        """The file line of the value at `keys` (or of its nearest parent that exists)."""
        if not keys:
            return 1
        if self._tree is None:
            try:
                self._tree = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                return self.first_line
        node = self._tree
        line = node.start_mark.line if node is not None else 0
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node, line = child
        return self.first_line + line


def _child(node: yaml.Node | None, key: Key) -> tuple[yaml.Node, int] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node, key_node.start_mark.line
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        item = node.value[key]
        return item, item.start_mark.line
    return None
