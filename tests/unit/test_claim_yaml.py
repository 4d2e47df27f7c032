import time

import pytest

from evidencekb.parsers.claim_yaml import parse_claim_bytes, resolve_plain


def parse(raw: bytes):
    return parse_claim_bytes(raw, "claims/x.yaml")


def only_problem(raw: bytes):
    doc, problems = parse(raw)
    assert doc is None
    assert len(problems) == 1
    return problems[0]


def test_plain_mapping_with_positions():
    doc, problems = parse(b"# c\nid: a-b\nevidence:\n  - source: k\n    relation: supports\n")
    assert problems == []
    assert doc.data == {"id": "a-b", "evidence": [{"source": "k", "relation": "supports"}]}
    assert doc.where(("evidence", 0, "relation")).line == 5
    assert doc.where(("evidence", 0, "relation")).col == 15
    assert doc.where(("evidence",), key=True).line == 3


@pytest.mark.parametrize("text,value", [
    ("no", "no"), ("yes", "yes"), ("off", "off"), ("2026-11-23", "2026-11-23"), ("true", True),
    ("false", False),
    ("null", None), ("~", None), ("3", 3), ("0x1f", 31), ("1.5", 1.5), ("1_000", "1_000"), ("012", 12),
    ("Norway", "Norway"), (".5", 0.5), ("1e3", 1000.0),
])
def test_yaml_1_2_core_schema(text, value):
    assert resolve_plain(text) == value


def test_quoted_scalars_stay_strings():
    doc, _ = parse(b"a: '3'\nb: \"true\"\nc: no\nd: 2026-11-23\n")
    assert doc.data == {"a": "3", "b": "true", "c": "no", "d": "2026-11-23"}


def test_tab_indentation_is_named():
    p = only_problem(b"id: x\nevidence:\n\t- source: a\n")
    assert (p.position.line, p.position.col) == (3, 1)
    assert "tab" in p.message


@pytest.mark.parametrize("raw", [b"", b"   \n", b"# only a comment\n"])
def test_empty_file(raw):
    p = only_problem(raw)
    assert p.rule == "empty-file"


def test_top_level_list():
    p = only_problem(b"- id: a\n- id: b\n")
    assert "not a list" in p.message


def test_top_level_scalar():
    assert "single value" in only_problem(b"just text\n").message


def test_python_tag_is_rejected_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    raw = f"id: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    p = only_problem(raw)
    assert p.rule == "yaml-tag"
    assert "python/object" in p.message
    assert not marker.exists()


def test_custom_local_tag_rejected():
    assert only_problem(b"id: !foo bar\n").rule == "yaml-tag"


def test_alias_bomb_is_rejected_fast():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        prev = f"*a{i-1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    raw = ("\n".join(lines) + "\n").encode()
    start = time.perf_counter()
    p = only_problem(raw)
    assert time.perf_counter() - start < 2.0
    assert p.rule == "yaml-alias"


def test_latin1_bytes_are_reported_with_position():
    p = only_problem("id: a\nstatement: caf\u00e9\n".encode("latin-1"))
    assert p.rule == "encoding"
    assert (p.position.line, p.position.col) == (2, 15)
    assert "UTF-8" in p.message


def test_bom_and_crlf_accepted():
    doc, problems = parse(b"\xef\xbb\xbfid: a\r\nstatement: b\r\n")
    assert problems == [] and doc.data == {"id": "a", "statement": "b"}


def test_duplicate_keys_rejected_with_both_lines():
    p = only_problem(b"id: a\nstatement: s\nid: b\n")
    assert p.rule == "duplicate-key"
    assert p.position.line == 3 and "line 1" in p.message


def test_duplicate_nested_keys():
    p = only_problem(b"confidence:\n  level: low\n  level: high\n")
    assert p.position.line == 3


def test_unclosed_quote_is_a_syntax_error_with_position():
    p = only_problem(b"id: a\nstatement: \"unterminated\n")
    assert p.rule == "yaml-syntax"
    assert p.position.line >= 2


def test_multiple_documents_rejected():
    assert only_problem(b"a: 1\n---\nb: 2\n").rule == "yaml-syntax"


def test_nul_byte():
    assert only_problem(b"id: a\x00\n").rule in ("encoding", "yaml-syntax")


def test_complex_key_rejected():
    assert only_problem(b"? [a, b]\n: c\n").rule == "yaml-key"


@pytest.mark.parametrize("escape,name", [
    ("\\e[31m", "U+001B (ESCAPE)"), ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"), ("\\0", "U+0000 (NUL)"),
    ("\\u200b", "U+200B (ZERO WIDTH SPACE)"), ("\\r", "U+000D (CARRIAGE RETURN)"),
    ("\\x7f", "U+007F (DELETE)"), ("\\u2028", "U+2028 (LINE SEPARATOR)"), ("\\N", "U+0085"),
])
def test_an_unsafe_character_written_as_an_escape_is_refused_at_its_value(escape, name):
    """The file's characters are all plain; the double-quoted value's escape makes one that
    would reorder or recolour what a reader sees (or start a row in a spreadsheet)."""
    p = only_problem(f'id: a\nnote:\n  locator: "p. 4{escape}=HYPERLINK(1)"\n'.encode())
    assert (p.position.line, p.position.col, p.rule) == (3, 12, "text-character")
    assert name in p.message and "escape" in p.message


def test_harmless_escapes_are_kept():
    doc, problems = parse(b'a: "two\\nlines\\tand a tab, caf\\u00e9, \\"quoted\\""\nb: \'it\'\'s \\e\'\n')
    assert problems == []
    assert doc.data == {"a": 'two\nlines\tand a tab, café, "quoted"', "b": "it's \\e"}
