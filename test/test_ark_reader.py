"""serda.data.ark reads what kaldiio.load_mat reads, one mmap per ark."""
import kaldiio
import numpy as np
import pytest

from serda.data.ark import ArkFormatError, load_entries, load_vector_matrix
from serda.data.features import read_features, read_utterance_matrix, stack_utterance_features
from serda.errors import InputError


def write_ark(path, items, **kw):
    scp = path.with_suffix(".scp")
    with kaldiio.WriteHelper(f"ark,scp:{path},{scp}", **kw) as w:
        for utt, array in items:
            w(utt, array)
    return dict(line.split(None, 1) for line in scp.read_text().splitlines())


def test_vectors_and_matrices_of_both_precisions_equal_kaldiio(tmp_path):
    rng = np.random.default_rng(0)
    items = [("a1", rng.standard_normal(7).astype(np.float32)),
             ("bb2", rng.standard_normal((3, 4)).astype(np.float32)),
             ("c", rng.standard_normal(5)),                    # float64 vector
             ("dddd4", rng.standard_normal((2, 6))),           # float64 matrix
             ("e", np.zeros((0, 4), dtype=np.float32))]        # no frames
    table = write_ark(tmp_path / "one.ark", items)
    table2 = write_ark(tmp_path / "two.ark", [("z", np.arange(3, dtype=np.float32))])
    entries = [table["dddd4"], table2["z"], table["a1"], table["bb2"], table["c"], table["e"]]
    ours = load_entries(entries)
    for e, a in zip(entries, ours):
        ref = np.asarray(kaldiio.load_mat(e))
        assert a.dtype == ref.dtype and a.shape == ref.shape and np.array_equal(a, ref)


def test_other_forms_fall_back_to_kaldiio(tmp_path):
    x = np.random.default_rng(1).standard_normal((20, 8)).astype(np.float32)
    compressed = write_ark(tmp_path / "c.ark", [("u", x)], compression_method=2)
    text = tmp_path / "t.ark"
    text.write_text("v [\n 1 2 3\n 4 5 6 ]\n")
    entries = [compressed["u"], f"{text}:2", compressed["u"] + "[2:5]"]
    for e, a in zip(entries, load_entries(entries)):
        assert np.array_equal(a, np.asarray(kaldiio.load_mat(e)))


def test_bad_offsets_and_truncated_records_raise(tmp_path):
    table = write_ark(tmp_path / "a.ark", [("u", np.arange(100, dtype=np.float32))])
    path, offset = table["u"].rsplit(":", 1)
    with pytest.raises(ArkFormatError, match="past the end"):
        load_entries([f"{path}:{10 ** 6}"])
    data = (tmp_path / "a.ark").read_bytes()
    (tmp_path / "a.ark").write_bytes(data[:-40])               # cut the record short
    with pytest.raises(ArkFormatError, match="runs past the end"):
        load_entries([table["u"]])


def test_read_features_names_the_utterance_of_a_broken_record(tmp_path):
    table = write_ark(tmp_path / "feats.ark", [("u1", np.ones(50, dtype=np.float32)),
                                               ("u2", np.ones(50, dtype=np.float32))])
    (tmp_path / "feats.scp").write_text(f"u1 {table['u1']}\nu2 {table['u2']}\n")
    utts, feats = read_features(tmp_path)
    assert utts == ["u1", "u2"] and all(np.array_equal(f, np.ones(50)) for f in feats)
    data = (tmp_path / "feats.ark").read_bytes()
    (tmp_path / "feats.ark").write_bytes(data[:-20])
    with pytest.raises(InputError, match="'u2'"):
        read_features(tmp_path)
    (tmp_path / "feats.scp").write_text(f"u1 {tmp_path}/missing.ark:3\n")
    with pytest.raises(InputError, match="'u1'"):
        read_features(tmp_path)


def test_vector_matrix_reads_straight_from_arks_or_declines(tmp_path):
    rng = np.random.default_rng(2)
    rows = {f"spk{i % 3}_u{i:03d}" + "x" * (i % 4): rng.standard_normal(9).astype(np.float32)
            for i in range(30)}                                # keys of several lengths
    items = list(rows.items())
    t1 = write_ark(tmp_path / "a.ark", items[:17])
    t2 = write_ark(tmp_path / "b.ark", items[17:])
    table = {**t1, **t2}
    order = sorted(rows)[::-1]                                 # not the file order
    x = load_vector_matrix([table[u] for u in order])
    assert x.dtype == np.float32 and np.array_equal(x, np.stack([rows[u] for u in order]))
    assert load_vector_matrix([table[order[0]], table[order[0]]]) is None       # a repeat
    mats = write_ark(tmp_path / "m.ark", [("m", np.ones((2, 9), dtype=np.float32))])
    assert load_vector_matrix([table[order[0]], mats["m"]]) is None              # a matrix
    other = write_ark(tmp_path / "o.ark", [("o", np.ones(8, dtype=np.float32))])
    assert load_vector_matrix([table[order[0]], other["o"]]) is None             # another dim


def test_read_utterance_matrix_equals_the_general_path(tmp_path):
    rng = np.random.default_rng(3)
    items = [(f"u{i:02d}", rng.standard_normal(12).astype(np.float32)) for i in range(10)]
    table = write_ark(tmp_path / "feats.ark", items)
    (tmp_path / "feats.scp").write_text("".join(f"{u} {table[u]}\n" for u, _ in items))
    utts, x = read_utterance_matrix(tmp_path)
    assert utts == [u for u, _ in items]
    assert np.array_equal(x, stack_utterance_features(tmp_path, read_features(tmp_path)[1]))


def test_vector_matrix_over_many_preadv_calls_and_threads(tmp_path):
    """More records than one preadv takes (512), in two arks, keys of
    different lengths, asked for out of file order: equal to kaldiio."""
    rng = np.random.default_rng(4)
    rows = {f"s{i % 7}_" + "k" * (i % 5) + f"{i:05d}": rng.standard_normal(33).astype(np.float32)
            for i in range(1500)}
    items = list(rows.items())
    table = {**write_ark(tmp_path / "a.ark", items[:1100]),
             **write_ark(tmp_path / "b.ark", items[1100:])}
    order = list(rng.permutation(sorted(rows)))
    x = load_vector_matrix([table[u] for u in order])
    assert np.array_equal(x, np.stack([kaldiio.load_mat(table[u]) for u in order]))
    cut = tmp_path / "cut.ark"                      # the second ark cut short: declined
    cut.write_bytes((tmp_path / "b.ark").read_bytes()[:-40])
    assert load_vector_matrix([table[u].replace("b.ark", "cut.ark") for u in order]) is None


def test_non_finite_check_by_row_sums(tmp_path):
    """Finite values whose float32 row sum overflows pass; a NaN, or +inf
    and -inf in one row (their sum is NaN), are found and named."""
    from serda.data.features import _check_finite
    big = np.full((3, 4), 3e38, dtype=np.float32)
    with np.errstate(over="ignore"):
        assert not np.isfinite(big.sum(axis=1)).any()
    _check_finite(tmp_path, ["a", "b", "c"], big, "in the features")
    for bad in ([np.nan, 0, 0, 0], [np.inf, -np.inf, 0, 0]):
        x = np.zeros((3, 4), dtype=np.float32)
        x[1] = bad
        with pytest.raises(InputError, match=r"non-finite values in the features in 1 "
                                             r"utterance\(s\) \(b\), dim\(s\) 0"):
            _check_finite(tmp_path, ["a", "b", "c"], x, "in the features")
