"""Inputs users really have that once gave a wrong number with no warning,
or a traceback: each case of the README's "Bad input" table that the
importer, data preparation, the audio reader, the YAML reader, the driver
and infer/export handle."""
import csv
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from conftest import REPO, make_data_dir, run_env, write_wav
from serda.corpora import get_corpus
from serda.corpora.prepare import prepare_corpus
from serda.data.datadir import DataDir, read_attributes
from serda.data.ids import id_part, name_of
from serda.errors import InputError, SerdaError
from serda.features.audio import read_audio


def load_corpus(module, root, **opts):
    return get_corpus(module).load(root, **opts)


def manifest(tmp_path, header, rows, name="labels.csv"):
    """A manifest whose rows name wav files it creates (one per distinct path)."""
    for i, row in enumerate(rows):
        path = tmp_path / row[0]
        if not path.exists():
            write_wav(path, seconds=0.3, seed=i)
    f = tmp_path / name
    with open(f, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header] + rows)
    return f


def prepared(tmp_path, root, **opts):
    lines = []
    corpus = load_corpus("table", root, **opts)
    prepare_corpus(corpus, tmp_path / "data", log=lines.append)
    return corpus, lines


# ------------------------------------------------------------------- identities
def test_non_ascii_speakers_stay_distinct_and_keep_their_names(tmp_path):
    rows = [[f"w/{s}{i}.wav", s, "neu" if i else "ang", "f"]
            for s in ("Zoë", "Zoe", "Zo e", "Zo_e") for i in range(2)]
    corpus, _ = prepared(tmp_path, manifest(tmp_path, ["path", "speaker", "emotion", "gender"],
                                            rows), folds=2)
    speakers = {r.speaker for r in corpus.records}
    assert len(speakers) == 4                      # "Zo e" and "Zo_e" as well
    assert {name_of(s.split("-", 1)[1]) for s in speakers} == {"Zoë", "Zoe", "Zo e", "Zo_e"}
    names = {}
    for d in (tmp_path / "data").glob("labels_fold*"):
        names.update(DataDir.load(d).tables["utt2speaker_name"])
    assert sorted(set(names.values())) == ["Zo e", "Zo_e", "Zoe", "Zoë"]


def test_id_part_is_one_to_one():
    names = ["a b", "a_b", "a%20b", "a%b", "é", "e\u0301", "x/y", "x|y", "x.y", "Zoë"]
    ids = [id_part(n) for n in names]
    assert len(set(ids)) == len(names)
    assert all(name_of(i) == n for i, n in zip(ids, names))
    assert all(" " not in i for i in ids)


def test_the_same_audio_under_two_speakers_is_an_error_naming_both_lines(tmp_path):
    m = manifest(tmp_path, ["path", "speaker", "emotion"],
                 [["w/a.wav", "s1", "neu"], ["w/b.wav", "s1", "ang"], ["w/a.wav", "s2", "hap"]])
    with pytest.raises(InputError) as err:
        prepared(tmp_path, m)
    text = str(err.value)
    assert f"{m}:4" in text and f"{m}:2" in text and "listed twice" in text


# ------------------------------------------------------------------ the manifest
def test_a_column_named_twice_is_an_error_at_the_header(tmp_path):
    m = manifest(tmp_path, ["path", "speaker", "emotion", "emotion"],
                 [["w/a.wav", "s1", "neu", "ang"]])
    with pytest.raises(InputError, match=r"labels\.csv:1: .*\['emotion'\] more than once"):
        load_corpus("table", m)


def test_one_empty_emotion_cell_skips_that_row_only_and_names_it(tmp_path):
    rows = [[f"w/{s}{i}.wav", s, ["neu", "ang", ""][i] if s == "s2" else "hap", "m"]
            for s in ("s1", "s2", "s3") for i in range(3)]
    m = manifest(tmp_path, ["path", "speaker", "emotion", "gender"], rows)
    corpus, lines = prepared(tmp_path, m, folds=3)
    assert len(corpus.records) == 8
    skipped = (tmp_path / "data" / "local" / "labels_skipped.txt").read_text()
    assert f"{m}:7 empty emotion cell: row left out (s22.wav)" in skipped
    for d in (tmp_path / "data").glob("labels_fold*"):          # every set keeps its labels
        assert (d / "utt2emo").is_file()


def test_a_label_column_empty_in_every_row_is_ignored_with_a_note(tmp_path):
    rows = [[f"w/{s}{i}.wav", s, "neu", ""] for s in ("s1", "s2") for i in range(2)]
    m = manifest(tmp_path, ["path", "speaker", "emotion", "arousal"], rows)
    corpus, lines = prepared(tmp_path, m, folds=2)
    assert len(corpus.records) == 4
    assert any("column 'arousal' is empty in every row: ignored" in line for line in lines)


@pytest.mark.parametrize("cell,ok", [("mixed", False), ("x", False), ("Female", True),
                                     ("male", True), ("M", True)])
def test_gender_words(tmp_path, cell, ok):
    m = manifest(tmp_path, ["path", "speaker", "emotion", "gender"],
                 [["w/a.wav", "s1", "neu", cell], ["w/b.wav", "s2", "neu", "f"]])
    if ok:
        corpus = load_corpus("table", m, folds=2)
        assert corpus.records[0].gender == cell[0].lower()
    else:
        with pytest.raises(InputError, match=rf"labels\.csv:2: gender '{cell}' is not m, f"):
            load_corpus("table", m, folds=2)


def test_folds_1_is_refused_and_fewer_speakers_than_folds_is_said(tmp_path):
    m = manifest(tmp_path, ["path", "speaker", "emotion"],
                 [["w/a.wav", "s1", "neu"], ["w/b.wav", "s2", "ang"], ["w/c.wav", "s3", "neu"]])
    with pytest.raises(SerdaError, match="folds: 1 .*at least 2"):
        load_corpus("table", m, folds=1)
    corpus = load_corpus("table", m, folds=5)
    assert "3 speakers, so 3 folds instead of 5" in " ".join(corpus.notes)
    assert sorted(corpus.attributes["folds"]) == ["fold1", "fold2", "fold3"]


def test_a_misspelt_corpus_option_is_refused(tmp_path):
    m = manifest(tmp_path, ["path", "speaker"], [["w/a.wav", "s1"]])
    with pytest.raises(SerdaError, match="has no option 'fodls'"):
        load_corpus("table", m, fodls=3)


def test_a_reimport_with_fewer_speakers_removes_the_stale_fold_dirs(tmp_path):
    rows = [[f"w/{s}.wav", s, "neu"] for s in ("s1", "s2", "s3", "s4")]
    m = manifest(tmp_path, ["path", "speaker", "emotion"], rows)
    prepared(tmp_path, m, folds=4)
    assert len(list((tmp_path / "data").glob("labels_fold*"))) == 4
    manifest(tmp_path, ["path", "speaker", "emotion"], rows[:2])
    _, lines = prepared(tmp_path, m, folds=4)
    assert sorted(p.name for p in (tmp_path / "data").glob("labels_fold*")) == \
        ["labels_fold1", "labels_fold2"]
    assert any("labels_fold4 removed" in line for line in lines)


# ----------------------------------------------------------------------- audio
def test_pattern_mode_finds_every_audio_extension_and_lists_the_rest(tmp_path):
    root = tmp_path / "own"
    write_wav(root / "s1_ang_1.wav")
    write_wav(root / "s1_neu_2.WAV", seed=1)
    x = np.random.default_rng(0).normal(0, 0.1, 8000).astype(np.float32)
    sf.write(root / "s2_ang_3.flac", x, 16000)
    sf.write(root / "s2_neu_4.ogg", x, 16000)
    (root / "notes.txt").write_text("not audio")
    corpus = load_corpus("table", root, pattern=r"(?P<speaker>s\d)_(?P<emotion>\w+)_\d",
                         folds=2)
    assert sorted(r.wav.rsplit(".", 1)[1] for r in corpus.records) == ["WAV", "flac", "ogg", "wav"]
    assert [why for p, why in corpus.skipped if p.endswith("notes.txt")] == \
        [next(why for p, why in corpus.skipped if p.endswith("notes.txt"))]
    assert "not an audio file name" in dict(corpus.skipped)[str(root.resolve() / "notes.txt")]


def test_a_wav_cut_short_is_used_with_a_note(tmp_path):
    full = write_wav(tmp_path / "w" / "a.wav", seconds=1.0)
    data = full.read_bytes()
    full.write_bytes(data[:len(data) // 2])
    write_wav(tmp_path / "w" / "b.wav", seed=2)
    m = tmp_path / "labels.csv"
    m.write_text("path,speaker,emotion\nw/a.wav,s1,neu\nw/b.wav,s2,ang\n")
    _, lines = prepared(tmp_path, m, folds=2)
    notes = (tmp_path / "data" / "local" / "labels_audio_notes.txt").read_text()
    assert "a.wav: data chunk cut short: the header declares 32000 bytes" in notes
    assert any("1 file(s) used with a remark" in line for line in lines)
    said = []
    x = read_audio(str(full), notes=said)
    assert 7000 < x.size < 8100 and "data chunk cut short" in said[0]


def test_opposite_phase_stereo_is_read_from_one_channel_not_called_silent(tmp_path):
    x = write_wav(tmp_path / "m.wav")
    mono, _ = sf.read(x, dtype="float32")
    sf.write(tmp_path / "st.wav", np.stack([mono, -mono], 1), 16000, subtype="PCM_16")
    said = []
    y = read_audio(str(tmp_path / "st.wav"), notes=said)
    np.testing.assert_allclose(y, mono, atol=1e-4)
    assert "channels cancel when averaged" in said[0] and "channel 1 used" in said[0]
    said = []                       # ordinary stereo: averaged, no note
    sf.write(tmp_path / "same.wav", np.stack([mono, mono], 1), 16000, subtype="PCM_16")
    np.testing.assert_allclose(read_audio(str(tmp_path / "same.wav"), notes=said), mono,
                               atol=1e-4)
    assert said == []


# ------------------------------------------------------------------------ YAML
def test_a_key_given_twice_in_a_config_is_an_error_with_its_line(tmp_path):
    from serda.config import load_config
    from serda.settings import ConfigError
    conf = tmp_path / "c.yaml"
    conf.write_text("method: source_only\noptim:\n  lr: 1.0e-3\n  lr: 1.0e-2\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:4: key 'lr' is given twice \(lines 3 and 4\)"):
        load_config(conf)


def test_a_key_given_twice_in_attributes_yaml_is_an_error_with_its_line(tmp_path):
    d = make_data_dir(tmp_path / "d")
    (d / "attributes.yaml").write_text("corpus: a\nlanguage: en\ncorpus: b\n")
    with pytest.raises(InputError, match=r"attributes\.yaml:3: key 'corpus' is given twice"):
        read_attributes(d)


# ---------------------------------------------------------------------- driver
def test_a_prep_opts_item_naming_no_corpus_of_the_recipe_is_refused(tmp_path):
    env = run_env()
    env.update(MINI_EN=str(tmp_path / "en"), MINI_DE=str(tmp_path / "de"))
    for opts, msg in (("mini_enn.utts=3", "names corpus 'mini_enn', which is not one of"),
                      ("folds=3", "is not <corpus>.<option>=<value>")):
        r = subprocess.run(["./run.sh", "--prep-opts", opts, "--stop-stage", "0",
                            "--datadir", str(tmp_path / "data")],
                           cwd=REPO / "egs" / "mini_en2de" / "dann", capture_output=True,
                           text=True, env=env)
        assert r.returncode != 0 and msg in r.stderr, r.stderr[-2000:]
        assert "Traceback" not in r.stderr


def test_sets_belong_to_the_corpus_their_attributes_name_not_a_prefix(tmp_path):
    from serda.data.sets import owner, sets_of
    for name, corpus in (("emo_fold1", "emo"), ("emo_de_fold1", "emo_de"),
                         ("pool", "emo+emo_de")):
        d = make_data_dir(tmp_path / name, n_spk=1, n_utt=1)
        (d / "attributes.yaml").write_text(f"corpus: {corpus}\n")
    corpora = {"emo", "emo_de"}
    assert sets_of(tmp_path, corpora) == [("emo_de_fold1", "emo_de"), ("emo_fold1", "emo")]
    assert owner(tmp_path / "pool", corpora) == "-"


# --------------------------------------------------------------- infer / export
def run(module, *args):
    return subprocess.run([sys.executable, "-m", f"serda.bin.{module}", *map(str, args)],
                          capture_output=True, text=True, env=run_env())


def one_line_error(r, *words):
    """A failed command's stderr is one error line holding ``words``."""
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in lines[0], lines[0]


def extract(data, dest, feat):
    r = subprocess.run(["utils/make_feats.sh", "--nj", "1", "--feat", feat, data, dest],
                       cwd=REPO, capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    from serda.data.features import compute_corpus_stats
    compute_corpus_stats([dest], [dest])
    return dest


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A 2-trial eGeMAPS source-only regressor of arousal, trained on 12 files."""
    root = tmp_path_factory.mktemp("system")
    feats = extract(make_data_dir(root / "data", n_spk=3, n_utt=4), root / "dump", "egemaps")
    conf = root / "src.yaml"
    conf.write_text("method: source_only\ndata: {norm: zscore}\n"
                    "model: {'*': {hidden: 16}}\ntrain: {epochs: 2, batch_size: 4, trials: 2}\n")
    system = root / "exp" / "src"
    r = run("resolve_config", "--conf", conf, "--out", system / "config.yaml",
            *[f"data.{k}={feats}" for k in ("source_train", "source_dev", "target_test")])
    assert r.returncode == 0, r.stderr
    r = run("train", "--config", system / "config.yaml", "--trials", "1:2")
    assert r.returncode == 0, r.stderr[-2000:]
    return root, system


def test_a_reexport_into_an_earlier_export_is_refused_or_replaced_whole(trained, tmp_path):
    import yaml
    _, system = trained
    out = tmp_path / "exported"
    assert run("export", "--system", system, "--trials", "1", "2", "--out", out).returncode == 0
    one_line_error(run("export", "--system", system, "--trials", "2", "--out", out),
                   str(out), "not empty", "--force")
    r = run("export", "--system", system, "--trials", "2", "--out", out, "--force")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.glob("trial*")) == ["trial2"]
    assert yaml.safe_load((out / "export.yaml").read_text())["trials"] == [2]
    # a trial copied in by hand is not one export.yaml lists: infer does not use it
    import shutil
    shutil.copytree(system / "trial1", out / "trial1")
    wav = write_wav(tmp_path / "x.wav")
    r = run("infer", "--system", out, wav, "--out", tmp_path / "p.csv")
    assert r.returncode == 0 and "by trial(s) 2" in r.stdout, r.stdout + r.stderr


def test_preds_csv_quotes_names_with_commas(trained, tmp_path):
    _, system = trained
    a = write_wav(tmp_path / "a,b.wav")
    c = write_wav(tmp_path / 'say "hi".wav', seed=3)
    r = run("infer", "--system", system, a, c, "--out", tmp_path / "p.csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader((tmp_path / "p.csv").open()))
    assert [row[0] for row in rows[1:]] == ["a,b", 'say "hi"']
    assert {len(row) for row in rows} == {len(rows[0])}


def test_infer_dir_reads_every_audio_extension_and_lists_the_rest(trained, tmp_path):
    _, system = trained
    d = tmp_path / "in"
    write_wav(d / "one.WAV")
    x, _ = sf.read(write_wav(tmp_path / "t.wav", seed=4), dtype="float32")
    sf.write(d / "sub" / "two.flac" if (d / "sub").mkdir() is None else None, x, 16000)
    (d / "readme.txt").write_text("notes")
    r = run("infer", "--system", system, "--dir", d, "--out", tmp_path / "p.csv")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in csv.DictReader((tmp_path / "p.csv").open())}
    assert rows["one"]["prediction"] and rows["two"]["prediction"]
    assert "not an audio file name" in rows["readme.txt"]["error"]


def test_infer_and_export_errors_are_one_line(trained, tmp_path):
    root, system = trained
    wav = write_wav(tmp_path / "x.wav")
    one_line_error(run("infer", "--system", system, wav, "--trials", "one", "--out",
                       tmp_path / "p.csv"), "--trials one", "trial numbers")
    one_line_error(run("infer", "--system", system, wav, "--trials", "7", "--out",
                       tmp_path / "p.csv"), "trial(s) [7] not trained")
    (tmp_path / "file").write_text("")
    one_line_error(run("infer", "--system", system, wav, "--out", tmp_path / "file" / "p.csv"),
                   "cannot write", "p.csv")
    one_line_error(run("export", "--system", system, "--trials", "x", "--out", tmp_path / "e"),
                   "--trials x")
    one_line_error(run("infer", "--system", tmp_path / "nowhere", wav, "--out",
                       tmp_path / "p.csv"), "config.yaml", "missing")
    # a feature dir of other features than the system's: which it wants, which it got
    other = extract(make_data_dir(tmp_path / "d2", n_spk=1, n_utt=2), tmp_path / "gemaps",
                    "gemaps")
    one_line_error(run("infer", "--system", system, wav, "--norm-from", other, "--out",
                       tmp_path / "p.csv"), "gemaps", "shape [62]", "shape [88]")
    # a model.pt cut short (a copy that did not finish)
    import shutil
    cut = tmp_path / "cut"
    shutil.copytree(system, cut)
    model = cut / "trial1" / "model.pt"
    model.write_bytes(model.read_bytes()[:100])
    one_line_error(run("infer", "--system", cut, wav, "--out", tmp_path / "p.csv"),
                   str(model), "not a readable serda checkpoint")
    one_line_error(run("export", "--system", cut, "--out", tmp_path / "e2"), str(model))


# -------------------------------------------------- further probes on the same surfaces
def test_statistics_of_two_vectors_are_not_nan():
    from serda.data.normalize import apply_norm, fit_norm_stats
    x = np.array([[1.0, 5.0], [3.0, 5.0]])
    stats = fit_norm_stats(x)
    assert np.isfinite(stats["trim_mean"]).all() and np.isfinite(stats["trim_std"]).all()
    np.testing.assert_allclose(apply_norm(x, stats, "abdelwahab"), [[-1, 0], [1, 0]])


@pytest.mark.parametrize("feat,opts,msg", [("fbank", ["num_binz=3"], "has no option(s)"),
                                            ("fbank", ["num_bins=x"], "expected int"),
                                            ("egemaps", ["num_bins=3"], "takes no options"),
                                            ("mfcc", [], "unknown feature 'mfcc'")])
def test_a_bad_feature_name_or_option_is_one_line_before_any_job(tmp_path, feat, opts, msg):
    d = make_data_dir(tmp_path / "d", n_spk=1, n_utt=1)
    r = subprocess.run(["utils/make_feats.sh", "--feat", feat, "--feat-opts", " ".join(opts),
                        d, tmp_path / "dump"], cwd=REPO, capture_output=True, text=True,
                       env=run_env())
    assert r.returncode != 0 and msg in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "dump").exists()


def test_a_missing_class_in_a_scored_set_is_flagged(tmp_path):
    from serda.config import load_config
    from serda.train.decode import missing_classes_warning
    conf = tmp_path / "c.yaml"
    conf.write_text("method: source_only\ntask: {type: classification, attribute: emo, "
                    "label_map: category_to_binary, label_args: {dimension: arousal}}\n")
    cfg = load_config(conf)
    assert missing_classes_warning(cfg, np.array([0, 1, 1]), 2) is None
    w = missing_classes_warning(cfg, np.array([1, 1, 1]), 2)
    assert "only 1 of the task's 2 classes" in w and "none of: low" in w


def test_the_report_marks_a_system_scored_on_a_set_lacking_a_class(tmp_path, capsys):
    import json

    from serda.report import write_report
    exp = tmp_path / "exp"
    for system in ("src", "dann"):
        (exp / system).mkdir(parents=True)
        (exp / system / "config.yaml").write_text(
            "method: source_only\ntask: {type: classification, attribute: emo}\n"
            "train: {train_on: source, select: source_dev}\n")
        for k in (1, 2):
            d = exp / system / f"trial{k}" / "decode_t"
            d.mkdir(parents=True)
            m = {"set": "target_test", "data": "dump/t", "ua": 1.0, "acc": 1.0}
            if system == "dann":
                m["warning"] = "only 1 of the task's 2 classes occur in this set"
            (d / "metrics.json").write_text(json.dumps(m))
            (exp / system / f"trial{k}" / "summary.json").write_text("{}")
    lines = write_report(exp, ["src", "dann"])
    text = "\n".join(lines)
    assert "| dann |" in text and "1.000 ± 0.000 †" in text
    assert "† dann: only 1 of the task's 2 classes" in text
    assert "report: WARNING" in capsys.readouterr().out


def test_a_semicolon_manifest_with_decimal_commas_is_read_with_a_note(tmp_path):
    for i, s in enumerate(("s1", "s2")):
        write_wav(tmp_path / "w" / f"{s}.wav", seed=i)
    m = tmp_path / "labels.csv"
    m.write_text("path;speaker;arousal\nw/s1.wav;s1;2,5\nw/s2.wav;s2;4\n")
    corpus = load_corpus("table", m, folds=2)
    assert sorted(r.dims["arousal"] for r in corpus.records) == [2.5, 4.0]
    assert "columns separated by ';'" in " ".join(corpus.notes)


@pytest.mark.parametrize("value", ["NaN", "inf"])
def test_a_non_finite_dimensional_label_names_its_line(tmp_path, value):
    m = manifest(tmp_path, ["path", "speaker", "arousal"], [["w/a.wav", "s1", value]])
    with pytest.raises(InputError, match=rf"labels\.csv:2: arousal '{value}' is not a finite"):
        load_corpus("table", m)
