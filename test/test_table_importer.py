"""The generic importer (prepare_data --corpus table): a manifest and a
file-name pattern, counts, labels, speakers, skipped files with reasons,
and malformed labels stopped at file:line."""
import subprocess
import sys

import pytest

from conftest import write_wav
from serda.corpora import get_corpus
from serda.corpora.prepare import prepare_corpus
from serda.data.datadir import DataDir
from serda.errors import InputError, SerdaError


def manifest(tmp_path, rows, name="mine.csv", header="path,speaker,emotion,arousal,gender"):
    for row in rows:
        path = row.split(",")[0]
        if "missing" not in path:
            write_wav(tmp_path / path, seconds=0.3)
    (tmp_path / name).write_text(header + "\n" + "\n".join(rows) + "\n")
    return tmp_path / name


ROWS = ["wav/a1.wav,anna,W,4.5,f", "wav/a2.wav,anna,N,2.0,f", "wav/b1.wav,bert,T,1.5,m",
        "wav/b2.wav,bert,F,3.5,m", "wav/c1.wav,cleo,W,4.0,f", "wav/missing.wav,cleo,N,2.5,f"]


def test_manifest_with_codes_scale_and_a_missing_file(tmp_path):
    path = manifest(tmp_path, ROWS)
    corpus = get_corpus("table").load(path, codes="W:ang,N:neu,T:sad,F:hap", language="de",
                                      folds="3")
    counts = prepare_corpus(corpus, tmp_path / "data", log=lambda *a: None)
    assert sum(counts.values()) == 5 and len(counts) == 3          # 3 speakers, 3 folds
    data = [DataDir.load(tmp_path / "data" / f"mine_{s}") for s in counts]
    emo = {u: d.tables["utt2emo"][u] for d in data for u in d.utts}
    assert emo == {"mine-anna-a1": "ang", "mine-anna-a2": "neu", "mine-bert-b1": "sad",
                   "mine-bert-b2": "hap", "mine-cleo-c1": "ang"}
    arousal = {u: float(d.tables["utt2arousal"][u]) for d in data for u in d.utts}
    assert arousal["mine-bert-b1"] == 1.5
    spk = {d.tables["utt2spk"][u] for d in data for u in d.utts}
    assert spk == {"mine-anna", "mine-bert", "mine-cleo"}
    assert all(d.attributes["language"] == "de" and d.attributes["corpus"] == "mine"
               for d in data)
    assert data[0].attributes["attributes"]["arousal"]["scale"] == [1.0, 5.0]
    skipped = (tmp_path / "data" / "local" / "mine_skipped.txt").read_text()
    assert "mine-cleo-missing audio file missing" in skipped


@pytest.mark.parametrize("row, message", [
    ("wav/a1.wav,anna,X,3,f", "unknown emotion code 'X'"),
    ("wav/a1.wav,anna,W,high,f", "arousal 'high' is not a number"),
    ("wav/a1.wav,anna,W,7,f", "outside the scale 1:5"),
    ("wav/a1.wav,anna,W,3,x", "gender 'x' is not m, f, male or female"),
    ("wav/a1.wav,anna,W,3", "4 cells, the header has 5"),
])
def test_a_malformed_row_stops_at_its_line(tmp_path, row, message):
    path = manifest(tmp_path, [ROWS[1], row])
    with pytest.raises(InputError, match=message) as err:
        get_corpus("table").load(path, codes="W:ang,N:neu")
    assert f"{path}:3" in str(err.value)


def test_file_name_pattern_skips_what_does_not_match(tmp_path):
    for name in ("03a01Wa.wav", "03a02Nc.wav", "08b01Fd.wav", "10a04Tb.wav", "notes.wav"):
        write_wav(tmp_path / "emo" / "wav" / name, seconds=0.3)
    corpus = get_corpus("table").load(
        tmp_path / "emo", corpus="myemodb", language="de",
        pattern=r"^(?P<speaker>\d\d)[ab]\d\d(?P<emotion>[WLEAFTN])[a-z]\.wav$",
        codes="W:ang,L:bor,E:dis,A:fea,F:hap,T:sad,N:neu")
    assert len(corpus.records) == 4
    assert {r.speaker for r in corpus.records} == {"myemodb-03", "myemodb-08", "myemodb-10"}
    assert sorted(r.emo for r in corpus.records) == ["ang", "hap", "neu", "sad"]
    assert len(corpus.skipped) == 1 and "notes.wav" in corpus.skipped[0][0]
    assert "does not match" in corpus.skipped[0][1]
    with pytest.raises(SerdaError, match="speaker"):
        get_corpus("table").load(tmp_path / "emo", pattern=r"^(?P<emotion>\w)")


def test_prepare_data_cli_names_the_corpus_after_the_data_name(tmp_path):
    path = manifest(tmp_path, ROWS[:5], name="list.tsv", header="path\tspeaker\temotion\tarousal\tgender")
    (tmp_path / "list.tsv").write_text((tmp_path / "list.tsv").read_text().replace(",", "\t"))
    r = subprocess.run([sys.executable, "-m", "serda.bin.prepare_data", "--corpus", "table",
                        "--root", str(path), "--out", str(tmp_path / "data"), "--name", "lab",
                        "--opt", "codes=W:ang,N:neu,T:sad,F:hap", "--opt", "language=en"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    dirs = sorted(p.name for p in (tmp_path / "data").glob("lab_fold*"))
    assert len(dirs) == 3
    d = DataDir.load(tmp_path / "data" / dirs[0])
    assert d.attributes["corpus"] == "lab" and all(u.startswith("lab-") for u in d.utts)
