"""openSMILE functionals (utterance-level vectors), run in-process.

=========  ====================================  =====
name       openSMILE feature set                 dim
=========  ====================================  =====
is13       IS13 ComParE (Schuller et al. 2013)   6373
is10       IS10 paralinguistics                  1582
is09       IS09 emotion challenge                 384
gemaps     GeMAPS v01b                              62
egemaps    eGeMAPS v02                              88
=========  ====================================  =====
"""
import numpy as np

FEATURE_SETS = {
    "is13": ("IS13", 6373),
    "is10": ("IS10", 1582),
    "is09": ("IS09", 384),
    "gemaps": ("GeMAPSv01b", 62),
    "egemaps": ("eGeMAPSv02", 88),
}


class Functionals:
    """Compute one openSMILE functional set: ``compute(x, sr) -> (dim,)``."""

    frame_level = False

    def __init__(self, name):
        import opensmile  # heavy: loaded only by the extraction stage

        set_name, self.dim = FEATURE_SETS[name]
        self.name = name
        self.smile = opensmile.Smile(
            feature_set=getattr(opensmile.FeatureSet, set_name),
            feature_level=opensmile.FeatureLevel.Functionals)
        if len(self.smile.feature_names) != self.dim:
            raise RuntimeError(f"openSMILE {set_name} gives {len(self.smile.feature_names)} "
                               f"features, expected {self.dim}")

    @property
    def feature_names(self):
        return list(self.smile.feature_names)

    def compute(self, x, sr):
        values = self.smile.process_signal(x, sr).to_numpy(dtype=np.float32)
        return values.reshape(-1)
