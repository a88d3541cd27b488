"""The configuration reference is generated from the typed settings: every
setting has help text, and the committed reference is the current one."""
from dataclasses import dataclass

import pytest

from conftest import REPO
from serda.bin import config_doc
from serda.errors import SerdaError
from serda.settings import setting

REFERENCE = REPO / "egs" / "TEMPLATE" / "CONFIG.md"


def test_every_setting_has_help_text():
    lines, missing = config_doc.reference()
    assert missing == []
    text = "\n".join(lines)
    for key in ("`optim.lr`", "`train.select`", "`adapt.grl.schedule`", "`adapt.coral_weight`",
                "`model.encoder.lstm`", "`data.norm`", "### `xling_dann`"):
        assert key in text


def test_a_setting_without_help_is_named():
    @dataclass
    class Section:
        documented: int = setting(1, help="a value")
        bare: int = setting(2, at_least=0)

    missing = []
    rows = config_doc.rows(Section(), "demo.", missing)
    assert missing == ["demo.bare"]
    assert rows[0] == "| `demo.documented` | int | `1` |  | a value |"
    assert rows[1] == "| `demo.bare` | int | `2` | >= 0 |  |"


def test_the_committed_reference_is_the_current_one(tmp_path):
    assert config_doc.main(["--check", str(REFERENCE)]) == 0
    stale = tmp_path / "CONFIG.md"
    stale.write_text(REFERENCE.read_text().replace("learning rate", "step size"))
    with pytest.raises(SerdaError, match="is not the current reference"):
        config_doc.main(["--check", str(stale)])
