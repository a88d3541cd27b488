"""Kaldi text tables: parsing errors name file and line; writes are sorted."""
import pytest

from serda.data.table import c_sorted, check_sorted, read_table, write_table
from serda.errors import InputError


def test_round_trip_sorted_in_c_locale(tmp_path):
    table = {"b": "2", "B": "x y", "a_1": "3", "a-1": "4"}
    write_table(tmp_path / "t", table)
    lines = (tmp_path / "t").read_text().splitlines()
    assert [l.split()[0] for l in lines] == ["B", "a-1", "a_1", "b"]  # byte order
    assert read_table(tmp_path / "t") == table


def test_duplicate_key_names_file_and_line(tmp_path):
    (tmp_path / "t").write_text("a 1\nb 2\na 3\n")
    with pytest.raises(InputError, match=r"t:3: duplicate key 'a'"):
        read_table(tmp_path / "t")


def test_missing_value_and_blank_line(tmp_path):
    (tmp_path / "t").write_text("a 1\nb\n")
    with pytest.raises(InputError, match=r"t:2: key 'b' has no value"):
        read_table(tmp_path / "t")
    (tmp_path / "u").write_text("a 1\n\nb 2\n")
    with pytest.raises(InputError, match=r"u:2: empty line"):
        read_table(tmp_path / "u")


def test_check_sorted_reports_first_offender():
    with pytest.raises(InputError, match=r"x:3: not sorted"):
        check_sorted("x", ["a", "b", "a2"[:1]])
    check_sorted("x", c_sorted(["z", "a", "A", "_"]))


def test_c_sorted_is_utf8_byte_order_and_the_fast_read_equals_the_checked_one(tmp_path):
    keys = ["z", "Z", "é", "e", "日本", "\uffff", "😀", "a b"[:1], "_", "ÿ", "Ā", "\x7f"]
    assert c_sorted(keys) == sorted(keys, key=lambda k: k.encode("utf-8"))
    check_sorted("x", c_sorted(keys))
    with pytest.raises(InputError, match=r"x:2: not sorted"):
        check_sorted("x", ["😀", "\uffff"])            # 4-byte UTF-8 after 3-byte
    text = "k1 a  b \r\nk2\tv\nk3 x\n"                   # CRLF, tab, inner spaces
    (tmp_path / "t").write_text(text)
    assert read_table(tmp_path / "t") == {"k1": "a  b", "k2": "v", "k3": "x"}
    (tmp_path / "u").write_text("k1 1\nk2 2\nk3\n")    # key-only last line, no newline after
    with pytest.raises(InputError, match=r"u:3: key 'k3' has no value"):
        read_table(tmp_path / "u")
    assert read_table(tmp_path / "u", allow_empty_value=True) == {"k1": "1", "k2": "2", "k3": ""}
    (tmp_path / "w").write_text("a 1\nb 2\n\n")         # a blank line at the end
    with pytest.raises(InputError, match=r"w:3: empty line"):
        read_table(tmp_path / "w")


def test_a_table_that_is_not_utf8_names_line_and_column(tmp_path):
    (tmp_path / "t").write_bytes("a 1\nb caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"t:2: not UTF-8 text: byte 0xe9 at column 6"):
        read_table(tmp_path / "t")
