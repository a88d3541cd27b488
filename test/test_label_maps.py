"""Label maps against hand-computed values and the CORPORA.md section 9 tables."""
import numpy as np
import pytest
import yaml

from serda.data.labels import (BINARY_MAPS, apply_label_map, binarize, binary_table,
                               category_to_binary, scale_to_pm3)
from serda.errors import SerdaError


def test_scale_to_pm3_matches_the_published_formulas():
    # 1-5: y = 1.5 (x - 3); 1-7: y = x - 4; [-1, 1]: y = 3 x
    x5 = np.array([1, 2.5, 3, 4.25, 5])
    np.testing.assert_allclose(scale_to_pm3(x5, [1, 5]), 1.5 * (x5 - 3))
    x7 = np.array([1, 2.2, 4, 6.8, 7])
    np.testing.assert_allclose(scale_to_pm3(x7, [1, 7]), x7 - 4)
    xr = np.array([-1, -0.2, 0, 0.5, 1])
    np.testing.assert_allclose(scale_to_pm3(xr, [-1, 1]), 3 * xr)


def test_binarize_side_decides_values_at_the_threshold():
    x = [2.0, 2.5, 3.0]
    np.testing.assert_array_equal(binarize(x, threshold=2.5, high_side="gt"), [0, 0, 1])  # low <=
    np.testing.assert_array_equal(binarize(x, threshold=2.5, high_side="ge"), [0, 1, 1])  # low <
    np.testing.assert_array_equal(binarize([-0.1, 0.0, 0.1], threshold=0.0), [0, 0, 1])
    with pytest.raises(SerdaError, match="high_side"):
        binarize(x, high_side="le")


def test_emodb_binary_maps_are_the_confirmed_ones():
    high, low = binary_table("emodb", "arousal")
    assert set(high) == {"W", "A", "F"} and set(low) == {"L", "E", "N", "T"}
    high, low = binary_table("emodb", "valence")
    assert set(high) == {"F", "N"} and set(low) == {"W", "L", "E", "A", "T"}
    y = category_to_binary(["W", "N", "F", "T"], corpus="emodb", dimension="arousal")
    np.testing.assert_array_equal(y, [1, 0, 1, 0])


def test_every_table_is_disjoint_and_complete_enough():
    tables = yaml.safe_load(BINARY_MAPS.read_text())
    for corpus, dims in tables.items():
        for dim, entry in dims.items():
            assert not set(map(str, entry["high"])) & set(map(str, entry["low"])), (corpus, dim)
    assert set(tables) >= {"iemocap", "msp_improv", "msp_podcast", "emodb", "aibo", "savee",
                           "ravdess", "cremad", "tess", "emovo"}


def test_unknown_code_is_an_error_and_lists_are_overridable():
    with pytest.raises(SerdaError, match=r"code\(s\) \['fru'\] are in neither"):
        category_to_binary(["ang", "fru"], corpus="iemocap", dimension="arousal")
    y = apply_label_map("category_to_binary", np.array(["ang", "fru", "neu"]), None,
                        {"corpus": "iemocap", "dimension": "arousal",
                         "high": ["ang", "fru"]})
    np.testing.assert_array_equal(y, [1, 1, 0])
    with pytest.raises(SerdaError, match="no valence map for corpus 'nope'"):
        category_to_binary(["a"], corpus="nope", dimension="valence")
