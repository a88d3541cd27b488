"""The mini cross-corpus leaderboard on ssl features of a tiny random WavLM,
end to end, and inference on the exported system."""
import csv
import subprocess
import sys

from conftest import REPO, run_env
from serda.features.ssl_random import save_random_checkpoint

RECIPE = REPO / "egs" / "cross_corpus" / "mlp"


def test_the_mini_leaderboard_runs_on_ssl_features_and_infer_reproduces_stage_5(tmp_path):
    model = save_random_checkpoint("wavlm", "tiny", tmp_path / "wavlm")
    env = run_env()
    env.update({f"{c.upper()}_CROSS": str(tmp_path / "corpora" / c) for c in ("mini_en", "mini_de")})
    r = subprocess.run(
        ["./run.sh", "--mini", "true", "--mini-corpora", "mini_en mini_de", "--methods", "src",
         "--task", "arousal", "--mini-trials", "2", "--mini-train-args", "train.epochs=3",
         "--mini-sim-opts", "--utts-per-speaker 6 --unlab-per-speaker 0",
         "--feat", "ssl", "--feat-opts", f"model={model} layers=all pooling=mean_std",
         "--datadir", str(tmp_path / "data"), "--dumpdir", str(tmp_path / "dump"),
         "--expdir", str(tmp_path / "exp")],
        cwd=RECIPE, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-3000:]
    assert "| **mini_en** |" in (tmp_path / "exp" / "mini_arousal" / "LEADERBOARD.md").read_text()
    spec = (tmp_path / "dump" / "ssl" / "mini_de_x_test" / "features.yaml").read_text()
    assert "family: wavlm" in spec and "weights_sha256: " in spec
    system = tmp_path / "exp" / "mini_arousal" / "mini_en2mini_de" / "src"
    assert '"input_shape": [\n  3,\n  64\n ]' in (system / "trial1" / "summary.json").read_text()

    exported = tmp_path / "exported"
    subprocess.run([sys.executable, "-m", "serda.bin.export", "--system", str(system),
                    "--trials", "1", "--out", str(exported)], check=True, env=env,
                   capture_output=True)
    wav_scp = tmp_path / "data" / "mini_de_x_test" / "wav.scp"
    out = tmp_path / "pred.csv"
    r = subprocess.run([sys.executable, "-m", "serda.bin.infer", "--system", str(exported),
                        "--trials", "1", "--wav-scp", str(wav_scp), "--out", str(out)],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    stage5 = dict(line.split() for line in (system / "trial1" / "decode_mini_de_x_test" / "pred")
                  .read_text().splitlines())
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == len(stage5) > 0
    assert all(["low", "high"][int(stage5[row["id"]])] == row["prediction"] for row in rows)

    # the checkpoint moved: --ssl-model finds it; other weights there are refused in one line
    model.rename(tmp_path / "moved")
    args = [sys.executable, "-m", "serda.bin.infer", "--system", str(exported), "--trials", "1",
            "--wav-scp", str(wav_scp), "--out", str(out), "--ssl-model", str(tmp_path / "moved")]
    assert subprocess.run(args, env=env, capture_output=True).returncode == 0
    save_random_checkpoint("wavlm", "tiny", tmp_path / "moved", seed=9)
    r = subprocess.run(args, env=env, capture_output=True, text=True)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "features.yaml: the features were made by weights with SHA-256" in r.stderr
