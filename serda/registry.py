"""Name -> class registries filled by decorators in the modules of a package.

Methods (serda/methods/) and encoders (serda/nets/) register themselves by
name when their module is imported; a registry imports every module of its
package the first time it is asked, so a new file is found without being
listed anywhere.
"""
import importlib
import pkgutil


class Registry:
    """Classes of one kind, registered with :meth:`register` in ``package``.

    ``same_file``: a class registered as ``name`` must live in
    ``<package>/<name>.py`` (so names can be listed from file names alone).
    """

    def __init__(self, package, kind, skip=(), same_file=False):
        self.package, self.kind, self.skip, self.same_file = package, kind, set(skip), same_file
        self.classes = {}

    def register(self, name):
        def deco(cls):
            module = cls.__module__.rsplit(".", 1)[-1]
            if self.same_file and module != name:
                raise ValueError(f"{self.kind} '{name}' must live in "
                                 f"{self.package.replace('.', '/')}/{name}.py, not {module}.py")
            if name in self.classes and self.classes[name] is not cls:
                raise ValueError(f"{self.kind} '{name}' registered twice")
            self.classes[name] = cls
            return cls
        return deco

    def module_names(self):
        pkg = importlib.import_module(self.package)
        return sorted(info.name for info in pkgutil.iter_modules(pkg.__path__)
                      if info.name not in self.skip and not info.name.startswith("_"))

    def names(self):
        self._discover()
        return sorted(self.classes)

    def get(self, name):
        self._discover()
        if name not in self.classes:
            raise ValueError(f"unknown {self.kind} '{name}' (known: {', '.join(self.names())})")
        return self.classes[name]

    def _discover(self):
        for module in self.module_names():
            importlib.import_module(f"{self.package}.{module}")
