"""Skip-if-done stamps notice regenerated inputs instead of reusing stale work."""
import os

from conftest import REPO, make_data_dir, write_wav
from serda.bin import resolve_config
from serda.data.fingerprint import data_fingerprint


def test_fingerprint_changes_with_the_audio_not_only_the_tables(tmp_path):
    d = make_data_dir(tmp_path / "d", n_spk=1, n_utt=2)
    before = data_fingerprint(d)
    assert data_fingerprint(d) == before
    wav = (d / "wav.scp").read_text().split()[1]
    st = os.stat(wav)
    write_wav(wav, seconds=0.6, seed=5)              # regenerated under the same path
    os.utime(wav, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert data_fingerprint(d) != before


def test_trials_trained_on_other_features_are_trained_again(tmp_path, capsys):
    feats = tmp_path / "dump" / "src_train"
    feats.mkdir(parents=True)
    (feats / ".done").write_text("feat=is13 src=aaaa\n")
    (feats / "utt2arousal").write_text("s1-u1 3\n")
    out = tmp_path / "exp" / "src" / "config.yaml"
    conf = REPO / "egs/mini_en2de/dann/conf/src.yaml"
    args = ["--conf", str(conf), "--out", str(out), f"data.source_train={feats}",
            "train.select=last"]
    assert resolve_config.main(args) == 0
    (out.parent / "trial1").mkdir()
    (out.parent / "trial1" / "summary.json").write_text("{}")
    assert resolve_config.main(args) == 0              # same features: fine
    (feats / ".done").write_text("feat=is13 src=bbbb\n")  # re-extracted from new audio
    assert resolve_config.main(args) == 0
    assert not (out.parent / "trial1").exists()
    assert "changed since these trials were trained: 1 trained trial dir(s) removed" in \
        capsys.readouterr().err
