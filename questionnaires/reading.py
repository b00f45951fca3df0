"""Read questionnaire files safely: text within limits, YAML 1.2 without anchors, aliases or deep nesting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, events, nodes
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.error import YAMLError
from ruamel.yaml.main import DocInfo, version
from ruamel.yaml.parser import Parser

from .problems import Problem, QuestionnaireError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NESTING = 12  # the format needs 7 levels (sections, items, choices, labels)
# Keys whose scalar values are codes or names: always text, exactly as written.
TEXT_KEYS = {"id", "version", "code", "correct", "success", "choices", "languages"}


def _keep_codes_as_written(node: nodes.Node, key: str | None = None) -> None:
    """Make plain scalars under code-like keys text, exactly as written (`01` stays `01`, not 1)."""
    if isinstance(node, nodes.ScalarNode):
        if key in TEXT_KEYS and node.style is None and node.tag != "tag:yaml.org,2002:null":
            node.tag = "tag:yaml.org,2002:str"
    elif isinstance(node, nodes.SequenceNode):
        for child in node.value:
            _keep_codes_as_written(child, key)
    elif isinstance(node, nodes.MappingNode):
        for key_node, value_node in node.value:
            _keep_codes_as_written(value_node, getattr(key_node, "value", None))


def read_yaml(text: str, source: str) -> Any:
    """Parse YAML 1.2 text; raise QuestionnaireError with the line of a syntax error.

    YAML 1.2 (ruamel.yaml) rather than PyYAML's 1.1: `yes`, `no`, `on` and `off`
    stay text, and a plain flow scalar may hold '?' (as in `{en: Heard of it?}`).
    Anchors, aliases and deep nesting are refused from the stream of parser events as it
    is parsed (one parse), before any data is constructed: a few hundred bytes of nested aliases would otherwise
    expand to gigabytes, and deep nesting would exhaust Python's stack.
    """
    if len(text) > MAX_FILE_BYTES:
        raise QuestionnaireError([Problem(source, "", f"the file is larger than {MAX_FILE_BYTES // 1024} kB")])
    try:
        yaml = YAML(typ="safe", pure=True)
        yaml.Parser = _CheckedParser
        # What ruamel's own load() records before it parses: a %YAML or %TAG directive is stored there.
        yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
        constructor, parser = yaml.get_constructor_parser(text)
        parser.source = source
        node = _single_node(constructor.composer, parser)
        if node is None:
            return None
        _keep_codes_as_written(node)
        return constructor.construct_document(node)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise QuestionnaireError([Problem(source, where, f"not valid YAML: {problem}")]) from None


def _single_node(composer: Any, parser: _CheckedParser) -> nodes.Node | None:
    """The document's node tree, the whole stream parsed (and checked) before any composer error is told.

    One parse serves both the checks and the data (the pure-Python parser is most of a load's time).
    A composer error (a second document) waits for the rest of the stream: a syntax error, anchor or
    deep nesting further on is reported first, as when the checks ran over the whole stream beforehand.
    """
    try:
        return composer.get_single_node()
    except ComposerError:
        while parser.check_event():
            parser.get_event()
        raise


class _CheckedParser(Parser):
    """ruamel's parser refusing anchors, aliases and deep nesting at the first event that has one, as it is made."""

    source = "<questionnaire>"
    depth = 0

    def _make_event(self) -> None:
        if self.current_event is None and self.state:
            self.current_event = self.state()
            self._check(self.current_event)

    def check_event(self, *choices: Any) -> bool:
        self._make_event()
        return super().check_event(*choices)

    def peek_event(self) -> Any:
        self._make_event()
        return super().peek_event()

    def get_event(self) -> Any:
        self._make_event()
        return super().get_event()

    def _check(self, event: events.Event | None) -> None:
        """Refuse anchors, aliases and nesting deeper than MAX_NESTING."""
        if event is None:
            return
        where = f"line {event.start_mark.line + 1}, column {event.start_mark.column + 1}"
        if isinstance(event, events.AliasEvent) or getattr(event, "anchor", None):
            raise QuestionnaireError([Problem(self.source, where, "YAML anchors and aliases (& and *) are not allowed: "
                                                                  "write each part out")])
        if isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QuestionnaireError([Problem(self.source, where, f"nested more than {MAX_NESTING} levels deep")])
        elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
            self.depth -= 1


def read_text_file(path: Path, limit: int) -> str:
    """The file's text, or QuestionnaireError: missing, a folder, too large, binary or not UTF-8."""
    try:
        if path.stat().st_size > limit:
            raise QuestionnaireError([Problem(str(path), "", f"the file is larger than {limit // 1024} kB")])
        data = path.read_bytes()
    except FileNotFoundError:
        raise QuestionnaireError([Problem(str(path), "", "no such file")]) from None
    except IsADirectoryError:
        raise QuestionnaireError([Problem(str(path), "", "is a folder, not a file")]) from None
    except (OSError, ValueError) as error:  # ValueError: a path holding a NUL character
        raise QuestionnaireError([Problem(repr(str(path)), "", f"cannot be read ({error})")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QuestionnaireError([Problem(str(path), "", f"not UTF-8 text ({error.reason} at byte {error.start}); "
                                                         "is it a questionnaire file?")]) from None
    return text.removeprefix("\ufeff")
