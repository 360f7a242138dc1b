"""The PLS path model: blocks of items, structural paths, higher-order constructs, and its checks.

A model is plain data (frozen dataclasses), independent of any data set. :func:`check_model` validates
it against the item columns before anything is estimated and raises :class:`PLSModelError` with a
message naming the construct or item and saying what to do.

Vocabulary (Hair et al. 2022, ch. 2): a construct is measured *reflectively* (mode A: correlation
weights; with PLSc corrected to a common factor) or *formatively* (mode B: regression weights). A
higher-order construct (HOC) is measured through lower-order constructs, its *dimensions*:

- ``repeated_indicators`` (Lohmöller 1989; Becker, Klein & Wetzels 2012): the HOC's block holds all
  the items of its dimensions; a reflective HOC points to each dimension, a formative HOC receives a
  path from each dimension.
- ``two_stage`` (the disjoint two-stage approach of Sarstedt et al. 2019, as R seminr's
  ``higher_composite(method = two_stage)``): stage 1 estimates the model with the HOC replaced by its
  dimensions (the HOC's antecedents point to every dimension, every dimension to the HOC's outcomes);
  stage 2 uses the stage-1 dimension scores as the HOC's indicators.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Mode = Literal["reflective", "formative"]
Approach = Literal["two_stage", "repeated_indicators"]
Scheme = Literal["path", "centroid", "factorial"]

__all__ = ["Block", "HigherOrder", "PLSModel", "PLSModelError", "PLSSettings", "check_model", "ordered_constructs"]


class PLSModelError(ValueError):
    """A PLS model that cannot be estimated as specified; the message says where and what to do."""


@dataclass(frozen=True)
class Block:
    """A first-order construct and its items."""

    name: str
    items: tuple[str, ...]
    mode: Mode = "reflective"


@dataclass(frozen=True)
class HigherOrder:
    """A higher-order construct built from first-order constructs (its dimensions)."""

    name: str
    dimensions: tuple[str, ...]
    mode: Mode = "reflective"
    approach: Approach = "two_stage"


@dataclass(frozen=True)
class PLSModel:
    """Blocks, structural paths (``(from, to)``) and higher-order constructs.

    Examples
    --------
    >>> m = PLSModel.build({"QUAL": ["q1", "q2"], "SAT": ["s1", "s2"]}, [("QUAL", "SAT")])
    >>> m.constructs
    ('QUAL', 'SAT')
    """

    blocks: tuple[Block, ...]
    paths: tuple[tuple[str, str], ...]
    higher_order: tuple[HigherOrder, ...] = ()

    @classmethod
    def build(cls, blocks: Mapping[str, Sequence[str]], paths: Sequence[tuple[str, str]],
              modes: Mapping[str, Mode] | None = None,
              higher_order: Mapping[str, Sequence[str]] | None = None,
              approach: Approach = "two_stage") -> "PLSModel":
        """A model from ``{construct: items}``, ``[(from, to)]``, ``{construct: mode}`` and
        ``{hoc: dimensions}`` (every HOC with ``approach``; its mode from ``modes``, reflective if absent)."""
        modes = dict(modes or {})
        bl = tuple(Block(name, tuple(items), modes.get(name, "reflective")) for name, items in blocks.items())
        ho = tuple(HigherOrder(name, tuple(dims), modes.get(name, "reflective"), approach)
                   for name, dims in (higher_order or {}).items())
        return cls(blocks=bl, paths=tuple((str(a), str(b)) for a, b in paths), higher_order=ho)

    @property
    def constructs(self) -> tuple[str, ...]:
        """First-order constructs, then higher-order ones, in the order given."""
        return tuple(b.name for b in self.blocks) + tuple(h.name for h in self.higher_order)

    @property
    def items(self) -> tuple[str, ...]:
        """Every item once, in block order."""
        return tuple(dict.fromkeys(i for b in self.blocks for i in b.items))

    def block(self, name: str) -> Block:
        return next(b for b in self.blocks if b.name == name)

    def mode(self, name: str) -> Mode:
        for b in self.blocks:
            if b.name == name:
                return b.mode
        return next(h.mode for h in self.higher_order if h.name == name)

    def hoc(self, name: str) -> HigherOrder | None:
        return next((h for h in self.higher_order if h.name == name), None)

    @property
    def dimensions(self) -> dict[str, str]:
        """Dimension -> its higher-order construct."""
        return {d: h.name for h in self.higher_order for d in h.dimensions}

    @property
    def structural(self) -> tuple[str, ...]:
        """Constructs of the structural model (dimensions of a HOC are measurement, not structure)."""
        dims = self.dimensions
        return tuple(c for c in self.constructs if c not in dims)


@dataclass(frozen=True)
class PLSSettings:
    """How the PLS algorithm runs.

    Parameters
    ----------
    scheme : {"path", "centroid", "factorial"}
        Inner weighting scheme (Lohmöller 1989). ``path`` is the default of SmartPLS and seminr;
        ``centroid`` that of R plspm.
    scaled : bool
        True (SmartPLS, seminr): items are standardized, weights refer to standardized items.
        False (R plspm ``scaled = FALSE``): items are only centred and the weights refer to the raw
        answer scale. Loadings, paths and R² are correlations either way.
    consistent : bool
        Consistent PLS (PLSc, Dijkstra & Henseler 2015): correct the correlations and loadings of the
        reflective constructs for measurement error with rho_A.
    max_iter : int
        The model is "not converged" when the weights still change after this many iterations
        (SmartPLS's default 300).
    tol : float
        Stop when no standardized outer weight changes by more than this (SmartPLS's 1e-7).
    """

    scheme: Scheme = "path"
    scaled: bool = True
    consistent: bool = False
    max_iter: int = 300
    tol: float = 1e-7

    def __post_init__(self):
        if self.scheme not in ("path", "centroid", "factorial"):
            raise PLSModelError(f"inner weighting scheme {self.scheme!r}: use path, centroid or factorial")
        if self.max_iter < 1:
            raise PLSModelError("max_iter must be at least 1")
        if not self.tol > 0:
            raise PLSModelError("tol must be positive")


def _hint(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def ordered_constructs(model: PLSModel) -> tuple[str, ...]:
    """Structural constructs in causal order (every construct after its antecedents); raises on a loop."""
    nodes = list(model.structural)
    preds = {c: {a for a, b in model.paths if b == c} for c in nodes}
    order: list[str] = []
    pending = list(nodes)
    while pending:
        ready = [c for c in pending if preds[c] <= set(order)]
        if not ready:
            loop = " -> ".join(pending)
            raise PLSModelError(f"the structural model has a loop among {loop}; PLS path models must be "
                                "recursive: remove one path of the loop")
        order.extend(ready)
        pending = [c for c in pending if c not in ready]
    return tuple(order)


def check_model(model: PLSModel, columns: Sequence[str] | None = None) -> None:
    """Raise :class:`PLSModelError` when the model cannot be estimated as specified.

    Checks: unique construct names; every block has items, known to ``columns`` (if given) and not
    shared with another block; a formative block has at least two items; paths join known constructs,
    are not repeated and form no loop; every construct of the structural model has a path; a
    higher-order construct has at least two dimensions that are first-order blocks, belong to no other
    HOC and have no paths of their own.
    """
    names = [b.name for b in model.blocks] + [h.name for h in model.higher_order]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise PLSModelError(f"construct {n!r} is defined twice")
        seen.add(n)
    owner: dict[str, str] = {}
    for b in model.blocks:
        if b.mode not in ("reflective", "formative"):
            raise PLSModelError(f"construct {b.name!r}: mode {b.mode!r}; use reflective or formative")
        if not b.items:
            raise PLSModelError(f"construct {b.name!r} has no items")
        if len(set(b.items)) != len(b.items):
            raise PLSModelError(f"construct {b.name!r} lists an item twice")
        if b.mode == "formative" and len(b.items) < 2:
            raise PLSModelError(
                f"construct {b.name!r} is formative (mode B) with a single item ({b.items[0]}): regression "
                "weights need at least two items; list its other items or declare it reflective "
                "(a single-item construct is its item)")
        for i in b.items:
            if i in owner:
                raise PLSModelError(f"item {i!r} is in both {owner[i]!r} and {b.name!r}; an item measures "
                                    "one construct (use a higher-order construct to reuse items)")
            owner[i] = b.name
            if columns is not None and i not in columns:
                raise PLSModelError(f"construct {b.name!r}: item {i!r} is not a column of the data"
                                    f"{_hint(i, columns)}")
    blocks = {b.name for b in model.blocks}
    claimed: dict[str, str] = {}
    for h in model.higher_order:
        if h.mode not in ("reflective", "formative"):
            raise PLSModelError(f"construct {h.name!r}: mode {h.mode!r}; use reflective or formative")
        if h.approach not in ("two_stage", "repeated_indicators"):
            raise PLSModelError(f"higher-order construct {h.name!r}: approach {h.approach!r}; use two_stage "
                                "or repeated_indicators")
        if len(h.dimensions) < 2:
            raise PLSModelError(f"higher-order construct {h.name!r} needs at least two dimensions")
        for d in h.dimensions:
            if d not in blocks:
                raise PLSModelError(f"higher-order construct {h.name!r}: dimension {d!r} is not a first-order "
                                    f"construct{_hint(d, sorted(blocks))}")
            if d in claimed:
                raise PLSModelError(f"dimension {d!r} belongs to both {claimed[d]!r} and {h.name!r}")
            claimed[d] = h.name
    known = set(names)
    pairs: set[tuple[str, str]] = set()
    for a, b in model.paths:
        for c in (a, b):
            if c not in known:
                raise PLSModelError(f"path {a} -> {b}: {c!r} is not a construct{_hint(c, names)}")
            if c in claimed:
                raise PLSModelError(f"path {a} -> {b}: {c!r} is a dimension of {claimed[c]!r}; paths go to and "
                                    f"from {claimed[c]!r} itself")
        if a == b:
            raise PLSModelError(f"path {a} -> {b} points to itself")
        if (a, b) in pairs:
            raise PLSModelError(f"path {a} -> {b} is listed twice")
        pairs.add((a, b))
    if not model.paths:
        raise PLSModelError("the model has no structural paths")
    linked = {c for p in model.paths for c in p}
    for c in model.structural:
        if c not in linked:
            raise PLSModelError(f"construct {c!r} has no structural path; add one or leave it out of the model")
    ordered_constructs(model)


def adjacency(names: Sequence[str], paths: Sequence[tuple[str, str]]) -> np.ndarray:
    """0/1 matrix with ``A[i, j] = 1`` for a path from ``names[i]`` to ``names[j]``."""
    pos = {c: i for i, c in enumerate(names)}
    a = np.zeros((len(names), len(names)))
    for f, t in paths:
        a[pos[f], pos[t]] = 1.0
    return a


@dataclass(frozen=True)
class Stage:
    """One run of the PLS algorithm in index form (what the numeric engine needs).

    ``columns[i]`` is the input column (of the stage's covariance matrix) that enters construct
    ``block[i]``; a column may enter several constructs (repeated indicators).
    """

    names: tuple[str, ...]
    columns: np.ndarray  # (p_s,) int
    block: np.ndarray  # (p_s,) int
    mode_b: np.ndarray  # (K,) bool
    reflective: np.ndarray  # (K,) bool: corrected by PLSc when requested
    adjacency: np.ndarray  # (K, K)
    labels: tuple[str, ...] = field(default=())  # the name of each column entry

    @property
    def mask(self) -> np.ndarray:
        """(p_s, K) 0/1: which column entry belongs to which construct."""
        m = np.zeros((len(self.columns), len(self.names)))
        m[np.arange(len(self.columns)), self.block] = 1.0
        return m


@dataclass(frozen=True)
class Design:
    """The model in index form: an optional first stage (two-stage HOCs) and the final stage.

    Input columns of the final stage are the items (``0..p-1``) followed by the stage-1 scores of
    ``stage1_dims`` (two-stage dimensions), in that order.
    """

    items: tuple[str, ...]
    stage1: Stage | None
    stage1_dims: tuple[int, ...]  # indices into stage1.names whose scores become indicators
    final: Stage
    structural: tuple[str, ...]  # constructs reported in the structural model
    paths: tuple[tuple[str, str], ...]  # the structural paths as specified


def _stage(names: list[str], entries: list[tuple[str, int, str]], modes: dict[str, str],
           reflective: dict[str, bool], paths: list[tuple[str, str]]) -> Stage:
    pos = {c: i for i, c in enumerate(names)}
    return Stage(names=tuple(names),
                 columns=np.array([e[1] for e in entries], dtype=int),
                 block=np.array([pos[e[0]] for e in entries], dtype=int),
                 mode_b=np.array([modes[c] == "formative" for c in names]),
                 reflective=np.array([reflective[c] for c in names]),
                 adjacency=adjacency(names, paths),
                 labels=tuple(e[2] for e in entries))


def design(model: PLSModel) -> Design:
    """Translate a checked model into index form (see :class:`Design`)."""
    items = list(model.items)
    col = {i: k for k, i in enumerate(items)}
    modes = {c: model.mode(c) for c in model.constructs}
    reflective = {c: modes[c] == "reflective" for c in model.constructs}
    two_stage = [h for h in model.higher_order if h.approach == "two_stage"]
    repeated = [h for h in model.higher_order if h.approach == "repeated_indicators"]
    dims_two = {d: h.name for h in two_stage for d in h.dimensions}

    # final-stage constructs: all blocks except two-stage dimensions, then the HOCs
    final_names = [b.name for b in model.blocks if b.name not in dims_two] + [h.name for h in model.higher_order]
    entries: list[tuple[str, int, str]] = []
    for b in model.blocks:
        if b.name not in dims_two:
            entries += [(b.name, col[i], i) for i in b.items]
    final_paths = list(model.paths)
    for h in repeated:
        for d in h.dimensions:
            entries += [(h.name, col[i], i) for i in model.block(d).items]
            final_paths.append((h.name, d) if h.mode == "reflective" else (d, h.name))

    stage1 = None
    stage1_dims: list[int] = []
    if two_stage:
        s1_names = [b.name for b in model.blocks]
        s1_entries = [(b.name, col[i], i) for b in model.blocks for i in b.items]
        s1_paths: list[tuple[str, str]] = []
        for a, b in model.paths:
            froms = model.hoc(a).dimensions if a in {h.name for h in two_stage} else (a,)
            tos = model.hoc(b).dimensions if b in {h.name for h in two_stage} else (b,)
            s1_paths += [(f, t) for f in froms for t in tos]
        for h in repeated:  # a repeated-indicator HOC keeps its own block in stage 1
            s1_names.append(h.name)
            for d in h.dimensions:
                s1_entries += [(h.name, col[i], i) for i in model.block(d).items]
                s1_paths.append((h.name, d) if h.mode == "reflective" else (d, h.name))
        # stage 1 estimates every dimension as a composite of its own mode (no PLSc: scores are wanted)
        stage1 = _stage(s1_names, s1_entries, modes, {c: False for c in s1_names}, s1_paths)
        dim_order = [d for h in two_stage for d in h.dimensions]
        stage1_dims = [s1_names.index(d) for d in dim_order]
        dim_col = {d: len(items) + k for k, d in enumerate(dim_order)}
        for h in two_stage:
            entries += [(h.name, dim_col[d], d) for d in h.dimensions]
    final_entries = sorted(entries, key=lambda e: final_names.index(e[0]))
    final = _stage(final_names, final_entries, modes, reflective, final_paths)
    return Design(items=tuple(items), stage1=stage1, stage1_dims=tuple(stage1_dims), final=final,
                  structural=model.structural, paths=tuple(model.paths))
