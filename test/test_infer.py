"""serda.bin.infer's pieces that need no trained model: the audio list,
files that cannot be predicted (reported with their reason), the CSV."""
import csv

import numpy as np
import pytest

from conftest import write_wav
from serda.errors import SerdaError
from serda.features.filterbank import Fbank
from serda.infer import Predictions, audio_items, extract, write_csv


def test_unreadable_silent_and_short_files_are_reported_not_dropped(tmp_path):
    good = write_wav(tmp_path / "good.wav", seconds=0.5)
    short = write_wav(tmp_path / "short.wav", seconds=0.01)
    (tmp_path / "broken.wav").write_bytes(b"RIFF not really")
    silent = tmp_path / "silent.wav"
    import soundfile as sf
    sf.write(silent, np.zeros(8000, dtype=np.float32), 16000)
    items = audio_items([good, short, tmp_path / "broken.wav", silent, tmp_path / "gone.wav"])
    done, failed = extract(items, Fbank())
    assert [u for u, _, _ in done] == ["good"]
    reasons = {u: why for u, _, why in failed}
    assert set(reasons) == {"short", "broken", "silent", "gone"}
    assert "too short" in reasons["short"] and "silent" in reasons["silent"]
    pred = Predictions(["good"], [str(good)], np.array([[0.25, 0.75]]), np.array([[0.05, 0.05]]),
                       ["low", "high"], [1, 2], failed)
    write_csv(pred, tmp_path / "p.csv")
    rows = list(csv.DictReader((tmp_path / "p.csv").open()))
    assert rows[0]["prediction"] == "high" and rows[0]["p_high"] == "0.750000"
    assert [r["id"] for r in rows[1:]] == ["short", "broken", "silent", "gone"]
    assert all(r["prediction"] == "" and r["error"] for r in rows[1:])


def test_audio_items_need_unique_ids(tmp_path):
    a = write_wav(tmp_path / "a" / "x.wav")
    b = write_wav(tmp_path / "b" / "x.wav")
    with pytest.raises(SerdaError, match="more than one file"):
        audio_items([a, b])
    (tmp_path / "wav.scp").write_text(f"u1 {a}\nu2 {b}\n")
    assert audio_items(wav_scp=tmp_path / "wav.scp") == [("u1", str(a)), ("u2", str(b))]
    with pytest.raises(SerdaError, match="no audio"):
        audio_items()
