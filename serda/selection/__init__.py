"""Model selection without target labels: importance-weighted validation,
deep embedded validation, soft neighbourhood density and target entropy
(serda.selection.scorers), computed every epoch by serda.train.scoring
and chosen with ``train.select``; ``oracle`` (the target test labels) is
the upper bound every table marks."""

UNSUPERVISED = ("iwv", "dev", "snd", "entropy")
