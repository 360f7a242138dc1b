"""semopy, imported without loading scikit-learn, SymPy and statsmodels until semopy really calls them.

semopy's package imports every feature it has: Gaussian-process kernels (scikit-learn), parameter
constraints (SymPy), its EFA (scikit-learn) and a nearest-positive-definite fix (statsmodels). This tool
uses its syntax parser, its model matrices and its first ML solution, none of which calls them, yet the
imports cost about 1.5 s of CPU at every start - a third of the default study's run. While semopy is being
imported, those few names are given as stand-ins that import the real function or class when first called;
the stand-in modules are removed from ``sys.modules`` as soon as semopy is loaded, so every other import of
scikit-learn, SymPy or statsmodels (pingouin, the regression stage …) gets the real package. If semopy
ever needs more of them at import time, the stand-ins are dropped and semopy is imported the ordinary way.
"""

from __future__ import annotations

import importlib
import sys
import types

# module -> the names semopy 2.3 takes from it at import time (all of them used only inside functions)
_DEFERRED = {
    "sklearn.gaussian_process.kernels": ("Matern", "Kernel"),
    "sklearn.cluster": ("OPTICS",),
    "sklearn.decomposition": ("SparsePCA",),
    "sympy.parsing.sympy_parser": ("parse_expr",),
    "sympy": ("lambdify", "derive_by_array", "Symbol"),
    "statsmodels.stats.correlation_tools": ("cov_nearest", "corr_nearest"),
}


def _stand_in(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported at the first call."
    return call


def _import_semopy():
    if "semopy" in sys.modules:
        return sys.modules["semopy"]
    stand_ins: dict[str, types.ModuleType] = {}
    for module, names in _DEFERRED.items():
        if module.split(".")[0] in sys.modules:  # already loaded for real: nothing to save
            continue
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            name = ".".join(parts[:i])
            if name not in stand_ins:
                stand_ins[name] = types.ModuleType(name)
                stand_ins[name].__path__ = []  # a package, so that submodules resolve
        for name in names:
            setattr(stand_ins[module], name, _stand_in(module, name))
    sys.modules.update(stand_ins)
    try:
        import semopy
    except Exception:  # noqa: BLE001 - a semopy that needs more at import time: import it the ordinary way
        for name in [m for m in sys.modules if m == "semopy" or m.startswith("semopy.")]:
            del sys.modules[name]
        _remove(stand_ins)
        import semopy
    finally:
        _remove(stand_ins)
    return semopy


def _remove(stand_ins: dict[str, types.ModuleType]) -> None:
    for name, module in stand_ins.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


semopy = _import_semopy()
