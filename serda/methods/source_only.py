"""Source only: the encoder and task head trained on labelled data alone.

L = L_task(G_y(G_f(x_s)), y_s). Trained on target labels (config
``train.train_on: target``) it is the within-corpus upper bound.
"""
from serda.methods import register
from serda.methods.base import Method, Step


@register("source_only")
class SourceOnly(Method):
    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def losses(self, batch):
        return {"task": self.task_loss(self.predict(batch.xs), batch.ys)}
