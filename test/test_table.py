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
