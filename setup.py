"""serda: Speech Emotion Recognition with Domain Adaptation (recipes + library)."""
from setuptools import find_packages, setup

setup(
    name="serda",
    version="0.1.0",
    description="Kaldi/ESPnet-style recipes for cross-corpus speech emotion "
                "recognition with domain adaptation",
    packages=find_packages(include=["serda", "serda.*"]),
    package_data={"serda.simulate": ["sentences/*.txt"], "serda.data": ["binary_maps.yaml"]},
    python_requires=">=3.9",
    install_requires=[
        # a range the CPU wheel 2.13.0 satisfies: install torch first
        # (tools/install.sh does) so pip never pulls a CUDA build by itself
        "torch>=2.1,<2.15",
        "numpy>=1.24",
        "scipy>=1.10",
        "kaldiio>=2.18",
        "opensmile>=2.6",
        "kaldi-native-fbank>=1.20",
        "soundfile>=0.12",
        "soxr>=0.3",
        "PyYAML>=6.0",
        "matplotlib>=3.7",
        "tqdm>=4.60",
        "espeakng-loader>=0.2",
    ],
    extras_require={"test": ["pytest>=7"],
                    # the ssl feature (WavLM, HuBERT, wav2vec 2.0, data2vec-audio, Whisper)
                    "ssl": ["transformers>=4.40", "huggingface_hub>=0.20", "safetensors>=0.4"]},
)
