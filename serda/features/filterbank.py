"""Frame-level features through kaldi-native-fbank.

``fbank``: Kaldi-compatible log-Mel filterbank energies (``num_bins`` x
frames; 25 ms / 10 ms frames by default), the input of the cross-lingual
recipe (26 bins). ``spectrogram``: the log power spectrum after Kaldi's frame processing,
``n_fft // 2 + 1`` bins (257 for 25 ms frames at 16 kHz; 16 ms frames with
n_fft 256 give the 129 bins of the CNN-BLSTM recipe). Both return float32 arrays of shape (frames, bins).
"""
import numpy as np



class Fbank:
    frame_level = True

    def __init__(self, num_bins=26, frame_length_ms=25.0, frame_shift_ms=10.0,
                 dither=0.0, sample_rate=16000):
        import kaldi_native_fbank as knf

        self._knf = knf
        opts = knf.FbankOptions()
        opts.frame_opts.samp_freq = sample_rate
        opts.frame_opts.frame_length_ms = frame_length_ms
        opts.frame_opts.frame_shift_ms = frame_shift_ms
        opts.frame_opts.dither = dither
        opts.mel_opts.num_bins = num_bins
        self.opts = opts
        self.dim = num_bins
        self.name = "fbank"

    def compute(self, x, sr):
        fb = self._knf.OnlineFbank(self.opts)
        # Kaldi's fbank works on 16-bit sample values
        fb.accept_waveform(sr, (x * 32768.0).tolist())
        fb.input_finished()
        n = fb.num_frames_ready
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([fb.get_frame(i) for i in range(n)]).astype(np.float32)


class Spectrogram:
    """Kaldi's frame processing followed by the log power spectrum.

    Frames as Kaldi cuts them (``snip_edges``: frame i covers samples
    [i * shift, i * shift + length)), each with its DC offset removed,
    pre-emphasis 0.97 (w[i] -= 0.97 w[i-1], w[0] -= 0.97 w[0]), the "povey"
    window (0.5 - 0.5 cos(2 pi i / (N - 1)))^0.85, zero-padded to ``n_fft``
    (default: the next power of two). Output log(max(|X|^2, eps)) with eps
    the float32 epsilon, shape (frames, n_fft // 2 + 1), or only the lowest
``max_bins`` bins (0 .. (max_bins - 1) sr / n_fft Hz: 129 bins of a 512-point FFT at
16 kHz are 0-4 kHz, the CNN-BLSTM recipe's 25 ms frames). The test suite checks
    that Kaldi's mel banks applied to this spectrum reproduce
    kaldi-native-fbank's fbank, i.e. the framing is Kaldi's.
    """
    frame_level = True
    preemph = 0.97
    eps = float(np.finfo(np.float32).eps)

    def __init__(self, n_fft=None, frame_length_ms=25.0, frame_shift_ms=10.0,
                 sample_rate=16000, max_bins=0):
        self.win = int(round(frame_length_ms * sample_rate / 1000))
        self.hop = int(round(frame_shift_ms * sample_rate / 1000))
        self.n_fft = int(n_fft) if n_fft else 1 << (self.win - 1).bit_length()
        if self.win > self.n_fft:
            raise ValueError(f"a frame of {self.win} samples does not fit n_fft={self.n_fft}")
        i = np.arange(self.win)
        self.window = (0.5 - 0.5 * np.cos(2 * np.pi * i / (self.win - 1))) ** 0.85
        self.bins = self.n_fft // 2 + 1
        if not 0 <= int(max_bins) <= self.bins:
            raise ValueError(f"max_bins={max_bins}: n_fft={self.n_fft} gives {self.bins} bins")
        self.dim = int(max_bins) or self.bins
        self.name = "spectrogram"

    def power(self, x):
        """Power spectrum, (frames, n_fft // 2 + 1), float64."""
        x = np.asarray(x, dtype=np.float64) * 32768.0  # Kaldi's 16-bit scale
        if len(x) < self.win:
            return np.zeros((0, self.bins))
        n = 1 + (len(x) - self.win) // self.hop
        idx = np.arange(self.win)[None, :] + self.hop * np.arange(n)[:, None]
        frames = x[idx]
        frames -= frames.mean(axis=1, keepdims=True)
        frames[:, 1:] -= self.preemph * frames[:, :-1].copy()
        frames[:, 0] -= self.preemph * frames[:, 0]
        spec = np.fft.rfft(frames * self.window, n=self.n_fft)
        return spec.real ** 2 + spec.imag ** 2

    def compute(self, x, sr):
        power = self.power(x)[:, :self.dim]
        return np.log(np.maximum(power, self.eps)).astype(np.float32)
