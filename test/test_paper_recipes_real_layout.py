"""The paper recipes' real-corpus mode on copies of the real layouts (no training).

IEMOCAP with all five sessions, MSP-IMPROV with all six and MSP-Podcast
(the layout fixtures' formats, a few short utterances each) run through
stages 0-3 of egs/podcast/dann (--src all) and egs/iemocap_improv/mrd
with eGeMAPS (fast): the recipes' local/data.sh sets, features extracted
once per session and derived for every set, per-corpus statistics; then
every experiment of the recipes' local/experiments.sh that does not need
earlier results resolves and passes the checks stage 4 makes.
"""
import shlex
import subprocess
import sys

from conftest import REPO, run_env
from corpus_fixtures import msp_podcast, text, tone
from corpus_fixtures.iemocap import HEADER, _block
from serda.data.datadir import DataDir


def full_iemocap(root):
    for s in range(1, 6):
        dialog = f"Ses0{s}F_impro0{s}"
        blocks = []
        for i, (turn, v, a, d) in enumerate((("F000", 2.5, 3.0, 2.5), ("M000", 3.5, 4.0, 3.0),
                                             ("F001", 1.5, 2.0, 2.0), ("M001", 4.0, 1.5, 3.5))):
            blocks.append(_block(dialog, turn, "neu", v, a, d, 5.0 + 10 * i))
            tone(root / f"Session{s}/sentences/wav/{dialog}/{dialog}_{turn}.wav",
                 seconds=0.6, freq=120 + 15 * s + 5 * i)
        text(root / f"Session{s}/dialog/EmoEvaluation/{dialog}.txt", HEADER + "".join(blocks))


def full_msp_improv(root):
    lines = []
    for s in range(1, 7):
        for i, spk in enumerate((f"F0{s}", f"M0{s}", f"F0{s}")):
            clip = f"S0{s}A-{spk}-P-FM0{i + 1}"
            a, v = 1.5 + (s + i) % 4, 1.2 + (2 * s + i) % 4
            lines.append(f"UTD-IMPROV-{clip}.avi; N; A:{a:.6f}; V:{v:.6f}; D:3.000000; "
                         "N:3.000000;\n\n")
            tone(root / f"session{s}/S0{s}A/P/MSP-IMPROV-{clip}.wav", seconds=0.6,
                 freq=130 + 11 * s + 7 * i)
    text(root / "Evaluation.txt", "".join(lines))


def corpora(tmp_path):
    roots = {"IEMOCAP": tmp_path / "IEMOCAP", "MSP_IMPROV": tmp_path / "MSP-IMPROV",
             "MSP_PODCAST": tmp_path / "MSP-Podcast"}
    full_iemocap(roots["IEMOCAP"])
    full_msp_improv(roots["MSP_IMPROV"])
    msp_podcast.build(roots["MSP_PODCAST"])
    env = run_env()
    env.update({k: str(v) for k, v in roots.items()})
    return env


def run(recipe, env, tmp_path, *args):
    r = subprocess.run(["./run.sh", *args, "--feat", "egemaps", "--stop-stage", "3",
                        "--datadir", str(tmp_path / "data"), "--dumpdir", str(tmp_path / "dump")],
                       cwd=recipe, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout


def check_first_experiment(recipe, env, tmp_path, extra_env):
    """Resolve and check experiment 1 of the recipe as stage 4 would (writes nothing)."""
    env = dict(env, datadir=str(tmp_path / "data"), expdir=str(tmp_path / "exp"), **extra_env)
    line = subprocess.run(["local/experiments.sh", "1"], cwd=recipe, capture_output=True,
                          text=True, env=env, check=True).stdout
    words = shlex.split(line)
    opts = dict(zip((w[2:].replace("-", "_") for w in words[::2]), words[1::2]))
    r = subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--check",
                        "--exp", str(tmp_path / "exp" / opts["tag"]), "--systems", opts["systems"],
                        "--feats", str(tmp_path / "dump/egemaps"), "--source", opts["source"],
                        "--target", opts["target"], "--shared-args", opts.get("shared_args", ""),
                        "--decode-sets", opts.get("decode_sets", "")],
                       cwd=recipe, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "exp").exists()
    return opts


def test_paper1_all_sources_sets_features_and_statistics(tmp_path):
    env = corpora(tmp_path)
    recipe = REPO / "egs/podcast/dann"
    out = run(recipe, env, tmp_path, "--src", "all")
    dump = tmp_path / "dump" / "egemaps"
    # the sets of local/data.sh, each with its utterances' features
    for name, n in (("iemocap_train", 16), ("iemocap_dev", 4), ("msp_improv_train", 15),
                    ("msp_improv_test", 3), ("all_train", 31), ("all_dev", 7),
                    ("msp_podcast_test", 2), ("msp_podcast_unlab", 2)):
        assert len(DataDir.load(dump / name).tables["feats.scp"]) == n, name
    # each session was extracted once; the derived sets point into its arks
    assert (dump / "iemocap_ses1" / "log").is_dir()
    assert not (dump / "iemocap_train" / "log").exists()
    arks = {v.split(":")[0] for v in DataDir.load(dump / "all_train").tables["feats.scp"].values()}
    assert all("_ses" in a for a in arks)
    assert out.count("extracting egemaps") == 5 + 6 + 4      # sessions; Podcast train/dev/test1/unlab
    assert "msp_podcast_test2" not in [p.name for p in dump.iterdir()]   # not needed
    # the pooled source holds each corpus' own statistics
    assert sorted(p.name for p in (dump / "all_train/norm_stats_by_corpus").glob("*.npz")) \
        == ["iemocap.npz", "msp_improv.npz"]
    check_first_experiment(recipe, env, tmp_path, {
        "exp_tag": "all", "src_name": "all", "tgt_name": "msp_podcast",
        "attributes": "arousal valence dominance", "layers": "1 2 3 4", "shared": "",
        "dann_args": "", "switch_epoch": "20"})


def test_paper2_sets_folds_features_and_statistics(tmp_path):
    env = corpora(tmp_path)
    recipe = REPO / "egs/iemocap_improv/mrd"
    run(recipe, env, tmp_path, "--src", "iemocap")
    dump = tmp_path / "dump" / "egemaps"
    for c, n_parts, per in (("iemocap", 5, 4), ("msp_improv", 6, 3)):
        assert len(DataDir.load(dump / f"{c}_all").tables["feats.scp"]) == n_parts * per
        assert len(DataDir.load(dump / f"{c}_src_train").utts) == (n_parts - 1) * per
        # one cross-validation fold per session: test = that session, dev = the next
        for f in range(1, n_parts + 1):
            sessions = {int(DataDir.load(dump / f"{c}_cv{f}_{split}").utt2spk[u][-2])
                        if c == "iemocap" else int(u.split("-")[1][1:])
                        for split in ("test", "dev")
                        for u in DataDir.load(dump / f"{c}_cv{f}_{split}").utts}
            test = {u for u in DataDir.load(dump / f"{c}_cv{f}_test").utts}
            assert len(test) == per and sessions == {f, f % n_parts + 1}
    opts = check_first_experiment(recipe, env, tmp_path, {
        "src_corpus": "iemocap", "tgt_corpus": "msp_improv", "exp_tag": "iemocap_to_msp_improv",
        "shared": ""})
    assert opts["source"] == "iemocap_src" and opts["target"] == "msp_improv_tgt"
