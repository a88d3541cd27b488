"""Stage 2: audio reading, bad-audio handling, openSMILE and Kaldi features."""
import subprocess

import kaldiio
import numpy as np
import pytest
import soundfile as sf

from conftest import REPO, make_data_dir, run_env, write_table, write_wav
from serda.data.validate import validate_data_dir
from serda.features.audio import AudioError, read_audio
from serda.features.filterbank import Fbank, Spectrogram


def make_feats(src, dest, feat="gemaps", nj=2):
    return subprocess.run(["utils/make_feats.sh", "--nj", str(nj), "--feat", feat, src, dest],
                          cwd=REPO, capture_output=True, text=True, env=run_env())


def test_read_audio_mixes_to_mono_and_resamples(tmp_path):
    path = write_wav(tmp_path / "st.wav", seconds=0.5, sr=44100, channels=2)
    x = read_audio(str(path), 16000)
    assert x.dtype == np.float32 and x.shape == (8000,)
    y = read_audio(f"cat {path} |", 16000)
    np.testing.assert_array_equal(x, y)
    seg = read_audio(str(path), 16000, segment=(0.1, 0.3))
    assert seg.shape == (3200,)


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.write_bytes(b"this is not audio" * 20), "unreadable audio"),
    (lambda p: sf.write(p, np.zeros(0), 16000), "empty audio"),
    (lambda p: write_wav(p, seconds=0.05), "too short: 0.050 s"),
    (lambda p: sf.write(p, np.array([0.1, np.nan] * 2000), 16000, subtype="FLOAT"), "NaN"),
    (lambda p: None, "file not found"),
])
def test_read_audio_rejects_bad_input_with_reason(tmp_path, make, reason):
    make(tmp_path / "bad.wav")
    with pytest.raises(AudioError, match=reason):
        read_audio(str(tmp_path / "bad.wav"))
    with pytest.raises(AudioError, match="command 'false ' failed"):
        read_audio("false |")


def test_bad_audio_goes_to_bad_utts_and_counts_are_conserved(tmp_path):
    src = make_data_dir(tmp_path / "data", n_spk=2, n_utt=4)
    (src / "wav" / "spk1-utt1.wav").write_bytes(b"RIFF garbage")
    sf.write(src / "wav" / "spk1-utt3.wav", np.zeros(0), 16000)
    write_wav(src / "wav" / "spk2-utt2.wav", seconds=0.05)
    write_wav(src / "wav" / "spk2-utt4.wav", seconds=0.6, sr=22050, channels=2)  # fine
    r = make_feats(src, tmp_path / "dump")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "8 utterances in, 5 with features, 3 left out" in r.stdout
    bad = (tmp_path / "dump" / "bad_utts").read_text().splitlines()
    assert [b.split()[0] for b in bad] == ["spk1-utt1", "spk1-utt3", "spk2-utt2"]
    assert "unreadable audio" in bad[0] and "empty audio" in bad[1] and "too short" in bad[2]
    feats = kaldiio.load_scp(str(tmp_path / "dump" / "feats.scp"))
    assert len(feats) == 5 and all(np.isfinite(v).all() and v.shape == (62,) for v in feats.values())
    assert validate_data_dir(tmp_path / "dump") == 5
    # a rerun is a no-op
    again = make_feats(src, tmp_path / "dump")
    assert "complete (gemaps), skipping" in again.stdout


def test_failed_job_fails_the_stage_and_names_the_log(tmp_path):
    src = make_data_dir(tmp_path / "data", n_spk=2, n_utt=1)
    write_table(src / "wav.scp", [("spk1-utt1", src / "wav/spk1-utt1.wav"),
                                  ("spk2-utt1", "exit 3 |")])
    r = subprocess.run(["utils/make_feats.sh", "--nj", "2", "--feat", "fbank",
                        src, tmp_path / "dump"], cwd=REPO, capture_output=True, text=True,
                       env=run_env())
    # a failing pipe is bad audio (logged), not a crash: both accounted for
    assert r.returncode == 0, r.stderr
    assert "spk2-utt1 extract_features: command 'exit 3 ' failed (code 3)" in \
        (tmp_path / "dump" / "bad_utts").read_text()
    assert (tmp_path / "dump" / "utt2num_frames").read_text() == "spk1-utt1 48\n"


def test_is13_matches_opensmile_process_file(tmp_path):
    opensmile = pytest.importorskip("opensmile")
    src = make_data_dir(tmp_path / "data", n_spk=1, n_utt=2, seconds=1.0)
    r = make_feats(src, tmp_path / "dump", feat="is13", nj=1)
    assert r.returncode == 0, r.stdout + r.stderr
    feats = kaldiio.load_scp(str(tmp_path / "dump" / "feats.scp"))  # plain kaldiio
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.IS13,
                            feature_level=opensmile.FeatureLevel.Functionals)
    for utt in ("spk1-utt1", "spk1-utt2"):
        ref = smile.process_file(str(src / "wav" / f"{utt}.wav")).to_numpy()[0]
        assert feats[utt].shape == (6373,)
        np.testing.assert_allclose(feats[utt], ref, rtol=1e-5, atol=1e-5)


def test_spectrogram_framing_is_kaldis():
    """Kaldi's mel banks on our power spectrum give kaldi-native-fbank's fbank."""
    knf = pytest.importorskip("kaldi_native_fbank")
    x = (np.random.default_rng(0).standard_normal(8000) * 0.1).astype(np.float32)
    fbank = Fbank(num_bins=26)
    ref = fbank.compute(x, 16000)
    assert ref.shape == (1 + (8000 - 400) // 160, 26)
    spec = Spectrogram()
    power = spec.power(x)
    mel = np.array(knf.MelBanks(fbank.opts.mel_opts, fbank.opts.frame_opts, 1.0).get_matrix())
    ours = np.log(np.maximum(power @ mel.T, np.finfo(np.float32).eps))
    np.testing.assert_allclose(ours, ref, atol=1e-3)
    assert spec.compute(x, 16000).shape == (48, 257)
    assert Spectrogram(n_fft=256, frame_length_ms=16).compute(x, 16000).shape[1] == 129
