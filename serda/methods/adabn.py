"""AdaBN (Li et al. 2016, Alg. 1): a source-only model whose BatchNorm
layers normalise with the target set's statistics.

Training is source-only, L = L_task(G_y(G_f(x_s)), y_s); after every
epoch, before it is evaluated and selected, each BatchNorm layer of the
encoder and task head gets the mean and variance of its inputs over the
whole unlabelled target pool (serda.nets.bn_statistics). The saved model
carries them, so decoding needs nothing else. Source dev metrics are
those of the target-normalised model.
"""
from serda.methods import register
from serda.methods.source_only import SourceOnly


@register("adabn")
class AdaBN(SourceOnly):
    target_statistics = True
