"""Import a package without loading the heavy optional packages it imports but this tool never calls.

semopy imports scikit-learn, SymPy and statsmodels for features we do not use; pingouin imports matplotlib
and seaborn for its plots (and, through pandas-flavor, xarray); statsmodels imports formulaic for formulas. Together that was about 2 s of CPU at every start, close to half of a run of the
default study. While the package is imported, those modules are stand-ins:

- :func:`import_without`: a name taken with ``from M import name`` is a function that imports the real
  ``M`` and calls ``M.name`` when it is first called (semopy uses them only inside functions);
- :func:`import_deferring`: one of the package's own submodules (pingouin.plotting) is a module whose
  public functions import the real submodule when first called.

The stand-ins are removed from ``sys.modules`` as soon as the package is loaded, so every other import
of those modules (by pingouin's plots, statsmodels' regression, the tests) gets the real one. If the
package needs more at import time than the stand-ins offer, they are dropped and the package is
imported the ordinary way: the shortcut can cost time, never correctness.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from pathlib import Path


def _stand_in_function(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported at the first call."
    return call


def _stand_in_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []  # a package, so that submodules resolve

    def __getattr__(attribute: str):  # the real module, at the first use of one of its attributes
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(importlib.import_module(name), attribute)

    module.__getattr__ = __getattr__
    return module


def import_without(package: str, deferred: dict[str, tuple[str, ...]]) -> types.ModuleType:
    """``import package`` with the modules of ``deferred`` (module → names taken from it with ``from
    module import name``; () for a module imported whole) as stand-ins while it loads."""
    if package in sys.modules:
        return sys.modules[package]
    stand_ins: dict[str, types.ModuleType] = {}
    for module, names in deferred.items():
        if module.split(".")[0] in sys.modules:  # already loaded for real: nothing to save
            continue
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            name = ".".join(parts[:i])
            if name not in stand_ins:
                stand_ins[name] = _stand_in_module(name)
                if i > 1:  # ``import a.b as c`` reads c from a's attributes
                    setattr(stand_ins[".".join(parts[:i - 1])], parts[i - 1], stand_ins[name])
        for name in names:
            setattr(stand_ins[module], name, _stand_in_function(module, name))
    sys.modules.update(stand_ins)
    try:
        loaded = importlib.import_module(package)
    except Exception:  # noqa: BLE001 - it needs more at import time: import it the ordinary way
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        _remove(stand_ins)
        loaded = importlib.import_module(package)
    finally:
        _remove(stand_ins)
    return loaded


def _remove(stand_ins: dict[str, types.ModuleType]) -> None:
    for name, module in stand_ins.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


def semopy() -> types.ModuleType:
    """semopy 2.3 without scikit-learn (kernels, EFA), SymPy (constraints) and statsmodels (nearest PD)."""
    return import_without("semopy", {
        "sklearn.gaussian_process.kernels": ("Matern", "Kernel"),
        "sklearn.cluster": ("OPTICS",),
        "sklearn.decomposition": ("SparsePCA",),
        "sympy.parsing.sympy_parser": ("parse_expr",),
        "sympy": ("lambdify", "derive_by_array", "Symbol"),
        "statsmodels.stats.correlation_tools": ("cov_nearest", "corr_nearest"),
    })


def import_deferring(package: str, submodule: str) -> types.ModuleType:
    """``import package`` with its ``package.submodule`` replaced, while it loads, by a stand-in whose public
    functions (the submodule's ``__all__``, read from its source) import the real submodule when called."""
    if package in sys.modules:
        return sys.modules[package]
    full = f"{package}.{submodule}"
    spec = importlib.util.find_spec(package)  # finds the package without importing it
    try:
        source = Path(spec.submodule_search_locations[0], f"{submodule}.py").read_text(encoding="utf-8")
        names = next(ast.literal_eval(node.value) for node in ast.parse(source).body
                     if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets))
    except Exception:  # noqa: BLE001 - no readable __all__: import the ordinary way
        return importlib.import_module(package)
    stand_in = _stand_in_module(full)
    stand_in.__all__ = list(names)
    for name in names:
        setattr(stand_in, name, _stand_in_function(full, name))
    sys.modules[full] = stand_in
    try:
        loaded = importlib.import_module(package)
    except Exception:  # noqa: BLE001
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        loaded = importlib.import_module(package)
    finally:
        if sys.modules.get(full) is stand_in:
            del sys.modules[full]
    return loaded


def pingouin() -> types.ModuleType:
    """pingouin without its plotting module (matplotlib, seaborn), which loads when a plot is drawn, and
    pandas-flavor (pingouin's DataFrame methods) without xarray, which it imports only to offer xarray
    methods (0.09 s at every start)."""
    import_without("pandas_flavor", {"xarray": ("register_dataarray_accessor", "register_dataset_accessor")})
    return import_deferring("pingouin", "plotting")


def statsmodels_models() -> types.ModuleType:
    """statsmodels' model classes without formulaic (and narwhals), the formula engine, which this tool never
    uses: its models take arrays (0.12 s at every start). statsmodels imports it only to know it is there."""
    return import_without("statsmodels.base.model", {"formulaic": (), "formulaic.parser": (),
                                                     "formulaic.utils.constraints": ()})


class _DocUnchanged:
    """Stands in for SciPy's numpydoc scraper (``FunctionDoc``) in its ``xp_capabilities`` decorator: the
    docstring is given back as written (the decorator strips its leading white space), with no section parsed
    and no note added."""

    def __init__(self, function, *args, **kwargs):
        self._doc = getattr(function, "__doc__", None) or ""

    def __getitem__(self, section: str) -> list:
        return []  # a section the decorator appends its note to, and drops

    def __str__(self) -> str:
        return "\n" + self._doc  # the decorator drops the first line (the signature it expects there)


def scipy_stats() -> types.ModuleType:
    """``import scipy.stats`` without SciPy's rewriting of some 500 docstrings as it loads: since SciPy 1.15 its
    ``xp_capabilities`` decorator parses each function's docstring with numpydoc's scraper to add a table of
    the array libraries it supports (0.15 s of the 0.5 s scipy.stats takes to import). For the command line
    only: the docstrings stay as written, without that table; the functions are SciPy's own. Any other
    SciPy: imported the ordinary way."""
    if "scipy.stats" in sys.modules:
        return sys.modules["scipy.stats"]
    try:
        from scipy._lib import _array_api
        real = _array_api.FunctionDoc
    except (ImportError, AttributeError):
        return importlib.import_module("scipy.stats")
    loaded = set(sys.modules)
    _array_api.FunctionDoc = _DocUnchanged
    try:
        return importlib.import_module("scipy.stats")
    except Exception:  # noqa: BLE001 - the stand-in does not fit this SciPy: SciPy's modules load again as usual
        _array_api.FunctionDoc = real
        for name in [m for m in sys.modules if m.startswith("scipy.") and m not in loaded]:
            del sys.modules[name]
        return importlib.import_module("scipy.stats")
    finally:
        _array_api.FunctionDoc = real
