"""Data preparation of the real corpora, on fixtures that copy their layouts.

For every corpus and layout variant: prepare_data writes exactly the
fixture's utterances per split with the right speakers, genders,
categories and dimensional values; each data dir validates; no two splits
share a speaker; everything left out is in the skip report with its reason.
"""
import importlib
import subprocess
import sys

import pytest

from conftest import REPO
from corpus_fixtures import NAMES
from serda.bin import prepare_data
from serda.corpora import LayoutError, available, get_corpus
from serda.data.datadir import DataDir
from serda.data.validate import validate_data_dir
from serda.errors import InputError, SerdaError

CASES = [(name, v) for name in NAMES
         for v in range(importlib.import_module(f"corpus_fixtures.{name}").VARIANTS)]


def build(name, root, variant=0):
    return importlib.import_module(f"corpus_fixtures.{name}").build(root, variant)


def prepare(name, root, out, options=None, capsys=None):
    argv = ["--corpus", name, "--root", str(root), "--out", str(out)]
    for k, v in (options or {}).items():
        argv += ["--opt", f"{k}={v}"]
    assert prepare_data.main(argv) == 0


@pytest.mark.parametrize("name,variant", CASES)
def test_prepare_matches_fixture(tmp_path, name, variant, capsys):
    truth = build(name, tmp_path / "corpus", variant)
    out = tmp_path / "data"
    prepare(name, tmp_path / "corpus", out, truth.options)
    log = capsys.readouterr().out
    dirs = sorted(p.name for p in out.glob(f"{name}_*"))
    assert dirs == sorted(f"{name}_{s}" for s in truth.counts), log
    spk_of_split = {}
    for split, n in truth.counts.items():
        path = out / f"{name}_{split}"
        assert validate_data_dir(path) == n
        data = DataDir.load(path)
        assert len(data.utts) == n
        assert set(data.spk2utt()) == truth.speakers[split]
        spk_of_split[split] = set(data.spk2utt())
        utts = set(data.utts)
        if truth.genders and data.has("utt2gender"):
            for utt in utts:
                assert data.get("utt2gender")[utt] == truth.genders[data.utt2spk[utt]], utt
        elif truth.speakers[split] <= set(truth.genders):
            pytest.fail(f"{path}: no utt2gender")
        for utt in utts & set(truth.emo):
            assert data.get("utt2emo")[utt] == truth.emo[utt], utt
            assert data.get("utt2emo_native")[utt] == truth.native[utt], utt
        if split != "unlab":
            assert utts <= set(truth.emo) | set(truth.dims)
        for utt in utts & set(truth.dims):
            for dim, value in truth.dims[utt].items():
                assert float(data.get(f"utt2{dim}")[utt]) == pytest.approx(value, abs=1e-5), \
                    (utt, dim)
        for table, values in truth.extra.items():
            for utt in utts & set(values):
                assert data.get(table)[utt] == values[utt], (table, utt)
        assert data.get("utt2lang")
    speakers = [s for v in spk_of_split.values() for s in v]
    assert len(speakers) == len(set(speakers)), "a speaker is in two splits"
    report = (out / "local" / f"{name}_skipped.txt").read_text()
    for what, why in truth.skipped:
        assert any(what in line and why in line for line in report.splitlines()), \
            (what, why, report)
    assert len(report.splitlines()) == len(truth.skipped), report


@pytest.mark.parametrize("name", NAMES)
def test_wrong_corpus_fails_fast_naming_the_layout(tmp_path, name):
    """Every module refuses every other corpus' fixture with LayoutError."""
    other = NAMES[(NAMES.index(name) + 1) % len(NAMES)]
    build(other, tmp_path / other)
    with pytest.raises(LayoutError, match="expected"):
        get_corpus(name).load(tmp_path / other)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LayoutError):
        get_corpus(name).load(empty)


def test_every_corpus_module_has_a_fixture():
    assert set(available()) == set(NAMES) | {"synth", "table"}   # table: test_table_importer


def test_undeclared_option_is_refused(tmp_path):
    build("emodb", tmp_path / "c")
    with pytest.raises(SerdaError, match="no option 'fold'.*known: folds"):
        get_corpus("emodb").load(tmp_path / "c", fold="3")
    with pytest.raises(SerdaError, match="not a whole number"):
        get_corpus("emodb").load(tmp_path / "c", folds="three")


def test_emodb_leave_one_speaker_out(tmp_path):
    build("emodb", tmp_path / "c")
    recs = get_corpus("emodb").load(tmp_path / "c", folds="10").records
    assert len({r.split for r in recs}) == 10
    assert all(len({r.speaker for r in recs if r.split == s}) == 1 for s in {r.split for r in recs})


# ------------------------------------------------------------- malformed labels
def _rewrite(path, old, new):
    path.write_text(path.read_text().replace(old, new, 1))


def test_iemocap_malformed_summary_line(tmp_path):
    build("iemocap", tmp_path / "c")
    f = tmp_path / "c/Session1/dialog/EmoEvaluation/Ses01F_impro01.txt"
    _rewrite(f, "\tneu\t[2.5000, 2.5000, 2.5000]", "\tneu\t[2.5000; 2.5000]")
    lineno = f.read_text().splitlines().index(
        next(l for l in f.read_text().splitlines() if "2.5000; 2.5000" in l)) + 1
    with pytest.raises(InputError, match=rf"Ses01F_impro01.txt:{lineno}: malformed") as err:
        get_corpus("iemocap").load(tmp_path / "c")
    assert "2.5000; 2.5000" in str(err.value)


def test_iemocap_speaker_is_the_turn_letter(tmp_path):
    build("iemocap", tmp_path / "c")
    recs = {r.utt: r for r in get_corpus("iemocap").load(tmp_path / "c").records}
    r = recs["iemocap-Ses01M-Ses01F_impro04_M001"]
    assert r.speaker == "iemocap-Ses01M" and r.gender == "m"
    assert recs["iemocap-Ses05F-Ses05M_script01_1b_F000"].gender == "f"


def test_msp_improv_malformed_consensus_line(tmp_path):
    build("msp_improv", tmp_path / "c")
    _rewrite(tmp_path / "c/Evaluation.txt", "A:4.200000;", "A:high;")
    with pytest.raises(InputError, match=r"Evaluation.txt:6: malformed consensus"):
        get_corpus("msp_improv").load(tmp_path / "c")


def test_msp_improv_orientation_flip(tmp_path):
    build("msp_improv", tmp_path / "c")
    as_is = {r.utt: r.dims["arousal"] for r in get_corpus("msp_improv").load(tmp_path / "c").records}
    flipped = get_corpus("msp_improv").load(tmp_path / "c", arousal_orientation="flip")
    for r in flipped.records:
        assert r.dims["arousal"] == pytest.approx(6 - as_is[r.utt])
    assert "REVERSED" in flipped.attributes["arousal_check"]


def test_msp_podcast_bad_rows(tmp_path):
    build("msp_podcast", tmp_path / "c")
    f = tmp_path / "c/Labels/labels_consensus.csv"
    _rewrite(f, "MSP-PODCAST_0003_0001.wav,A,5.8", "MSP-PODCAST_0003_0001.wav,A,loud")
    with pytest.raises(InputError, match=r"labels_consensus.csv:5: EmoAct 'loud'"):
        get_corpus("msp_podcast").load(tmp_path / "c")
    _rewrite(f, "MSP-PODCAST_0003_0001.wav,A,loud", "MSP-PODCAST_0003_0001.wav,Q,5.8")
    with pytest.raises(InputError, match=r"labels_consensus.csv:5: unknown MSP-Podcast emotion"):
        get_corpus("msp_podcast").load(tmp_path / "c")


def test_aibo_malformed_line_and_duplicates(tmp_path):
    build("aibo", tmp_path / "c")
    f = next((tmp_path / "c").glob("**/chunk_labels_5cl_corpus.txt"))
    lines = f.read_text().splitlines()
    f.write_text("\n".join(lines[:2] + ["Ohm_01_015_00 N"] + lines[2:]) + "\n")
    with pytest.raises(InputError, match=r"chunk_labels_5cl_corpus.txt:3: expected"):
        get_corpus("aibo").load(tmp_path / "c")
    f.write_text("\n".join(lines + [lines[0]]) + "\n")
    with pytest.raises(InputError, match=r"labelled twice \(first on line 1\)"):
        get_corpus("aibo").load(tmp_path / "c")


def test_recola_bad_rating_line(tmp_path):
    build("recola", tmp_path / "c")
    f = tmp_path / "c/ratings_individual/arousal/train_2.csv"
    lines = f.read_text().splitlines()
    lines[10] = lines[10].replace(";", ";x", 1)
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"train_2.csv:11: non-numeric"):
        get_corpus("recola").load(tmp_path / "c")


def test_recola_window_options(tmp_path):
    build("recola", tmp_path / "c")
    recs = get_corpus("recola").load(tmp_path / "c", window="2", hop="1", delay="0").records
    train1 = [r for r in recs if r.speaker == "recola-train_1"]
    # windows (0,2) ... (10,12): 11 of them; (4,6) is all 'before' = 0.5,
    # (5,7) half and half, (6,8) all 'after' = -0.25
    assert len(train1) == 11
    assert train1[4].dims["arousal"] == pytest.approx(0.5)
    assert train1[5].dims["arousal"] == pytest.approx(0.125)
    assert train1[6].dims["arousal"] == pytest.approx(-0.25)


def test_cremad_demographics_bad_row(tmp_path):
    build("cremad", tmp_path / "c")
    _rewrite(tmp_path / "c/VideoDemographics.csv", ",Female,", ",F,")
    with pytest.raises(InputError, match=r"VideoDemographics.csv:3:"):
        get_corpus("cremad").load(tmp_path / "c")


@pytest.mark.parametrize("name, label_file", [
    ("recola", "ratings_individual/arousal/train_2.csv"),
    ("msp_podcast", "Labels/labels_consensus.csv"),
    ("cremad", "VideoDemographics.csv")])
def test_a_latin1_label_file_is_an_error_naming_file_line_and_byte(tmp_path, name, label_file):
    """A label file saved as Latin-1 (an accented name, a French comment)
    names file, line, column and byte instead of a UnicodeDecodeError."""
    build(name, tmp_path / "c")
    f = tmp_path / "c" / label_file
    lines = f.read_bytes().split(b"\n")
    lines[2] = lines[2] + "Ren\u00e9".encode("latin-1")
    f.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError, match=rf"{f.name}:3: not UTF-8 text: byte 0xe9 at column "
                                         rf"{len(lines[2])} \(convert"):
        get_corpus(name).load(tmp_path / "c")


@pytest.mark.parametrize("name, label_file", [
    ("msp_podcast", "Labels/labels_consensus.csv"), ("cremad", "VideoDemographics.csv")])
def test_a_label_csv_saved_with_bom_and_crlf_reads_as_the_plain_one(tmp_path, name, label_file):
    build(name, tmp_path / "c")
    plain = [(r.utt, r.speaker, r.gender, r.emo, r.dims)
             for r in get_corpus(name).load(tmp_path / "c").records]
    f = tmp_path / "c" / label_file
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes().replace(b"\n", b"\r\n"))
    assert [(r.utt, r.speaker, r.gender, r.emo, r.dims)
            for r in get_corpus(name).load(tmp_path / "c").records] == plain


def test_count_mismatch_warns_with_both_numbers(tmp_path, capsys):
    build("emodb", tmp_path / "c")
    prepare("emodb", tmp_path / "c", tmp_path / "data")
    out = capsys.readouterr().out
    assert "12 utterances in all  WARNING: the official count is 535" in out


def test_check_split_overlap(tmp_path):
    build("iemocap", tmp_path / "c")
    prepare("iemocap", tmp_path / "c", tmp_path / "data")
    tool = [sys.executable, str(REPO / "utils" / "check_split_overlap.py")]
    dirs = [str(p) for p in sorted((tmp_path / "data").glob("iemocap_ses*"))]
    ok = subprocess.run(tool + dirs, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    subprocess.run([sys.executable, str(REPO / "utils" / "combine_data.py"),
                    str(tmp_path / "data/all"), *dirs], check=True, capture_output=True)
    bad = subprocess.run(tool + [str(tmp_path / "data/all"), dirs[0]], capture_output=True,
                         text=True)
    assert bad.returncode == 1
    assert "iemocap-Ses01F" in bad.stderr and "share" in bad.stderr
