"""Checks between the parts of a study file that one part alone cannot make: a loop among hypotheses, an
alternative model or invariance request naming what the model does not have, a moderator on a path that is
not a hypothesis, … Each problem comes with the key path it concerns, so that :mod:`.load` can give its
line. Called by :meth:`.schema.Study._cross_references`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import difflib
import re

if TYPE_CHECKING:  # annotations only: the schema calls these checks
    from .schema import BackgroundQuestion, Study



def _first_cycle(edges: list[tuple[str, str]]) -> list[str] | None:
    """The first directed cycle among ``edges`` as [a, b, …, a], or None (depth-first search)."""
    following: dict[str, list[str]] = {}
    for a, b in edges:
        following.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in following.get(node, []):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in following:
        if start not in state and (found := visit(start)):
            return found
    return None


def _alternative_problems(study: "Study", paths: dict) -> list[tuple[tuple, str]]:
    """model.alternatives.models: paths between constructs of the structural model; removed paths are
    hypotheses, added ones are not; the alternative stays recursive; ids are unique."""
    problems: list[tuple[tuple, str]] = []
    structural = study.structural_constructs
    seen: dict[str, int] = {}
    for ai, alt in enumerate(study.model.alternatives.models):
        loc = ("model", "alternatives", "models", ai)
        if alt.id in seen:
            problems.append(((*loc, "id"), f"alternative id {alt.id!r} is used twice (also "
                                           f"model.alternatives.models.{seen[alt.id]})"))
        seen.setdefault(alt.id, ai)
        edges = dict(paths)
        for which in ("drop", "add"):
            for pi, (a, b) in enumerate(alt.pairs(which)):
                where = (*loc, which, pi)
                bad = [x for x in (a, b) if x not in structural]
                if bad:
                    dims = {d for c in study.second_order for d in c.dimensions}
                    why = (f"{bad[0]} is a dimension of a second-order construct" if bad[0] in dims else
                           f"{bad[0]!r} is not a construct{_hint(bad[0], structural)}")
                    problems.append((where, f"alternative {alt.id}: {a} -> {b}: {why}; paths join constructs of "
                                            f"the structural model ({', '.join(structural)})"))
                elif which == "drop" and (a, b) not in paths:
                    problems.append((where, f"alternative {alt.id}: cannot drop {a} -> {b}, which is not a hypothesis"))
                elif which == "add" and (a, b) in paths:
                    problems.append((where, f"alternative {alt.id}: {a} -> {b} is already hypothesis "
                                            f"{paths[(a, b)]}; add only paths the model does not have"))
                elif which == "drop":
                    edges.pop((a, b), None)
                else:
                    edges[(a, b)] = alt.id
        cycle = _first_cycle(list(edges))
        if cycle and not problems:
            problems.append(((*loc, "add"), f"alternative {alt.id}: its paths form a loop {' -> '.join(cycle)}; "
                                            "a model must be recursive"))
    return problems


def _invariance_problems(study: "Study") -> list[tuple[tuple, str]]:
    """model.invariance: needs groups; partial names a loading, intercept or residual variance of an item of
    the first-order measurement model (markers' loadings are fixed at 1) of a kind its levels constrain."""
    inv = study.model.invariance
    if inv is None:
        return []
    problems: list[tuple[tuple, str]] = []
    if not study.model.groups:
        problems.append((("model", "invariance"), "model.invariance needs groups to compare: name a background "
                                                  "question in model.groups"))
    items = {i.code: c for c in study.first_order for i in c.items}
    kinds = {"=~": "loadings", "~1": "intercepts", "~~": "residuals"}
    constrained = {"metric": "loadings", "scalar": "intercepts", "strict": "residuals"}
    allowed = {constrained[level] for level in inv.levels[1:]}
    for pi, name in enumerate(inv.partial):
        loc = ("model", "invariance", "partial", pi)
        text = str(name).replace(" ", "")
        match = re.fullmatch(r"(\w+)(=~|~~|~1)(\w*)", text)
        if not match or (match.group(2) == "~1") == bool(match.group(3)):
            problems.append((loc, f"invariance.partial: {name!r} is not a parameter name; write an intercept as "
                                  "'item~1', a loading as 'CONSTRUCT=~item', a residual variance as 'item~~item'"))
            continue
        lhs, op, rhs = match.groups()
        item = rhs if op == "=~" else lhs
        if item not in items:
            problems.append((loc, f"invariance.partial: {name!r}: {item!r} is not an item of the model"
                                  f"{_hint(item, items)}; invariance is tested on the items of the first-order "
                                  "constructs"))
            continue
        construct = items[item]
        if op == "=~" and lhs != construct.code:
            problems.append((loc, f"invariance.partial: {name!r}: {item} is an item of {construct.code}, not of "
                                  f"{lhs}; write {construct.code}=~{item}"))
        elif op == "=~" and construct.items[0].code == item:
            problems.append((loc, f"invariance.partial: {name!r}: {item} is the first item of {construct.code}, whose "
                                  "loading is fixed at 1 to set the scale (marker); it cannot be freed"))
        elif op == "~~" and lhs != rhs:
            problems.append((loc, f"invariance.partial: {name!r}: only residual variances (item~~item) are "
                                  "constrained by strict invariance"))
        elif kinds[op] not in allowed:
            problems.append((loc, f"invariance.partial: {name!r} frees a {kinds[op][:-1]}, which the levels "
                                  f"{', '.join(inv.levels)} do not constrain"))
    return problems


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _moderation_problems(study: "Study", paths: dict[tuple[str, str], str], check_id) -> list[tuple[tuple, str]]:
    """Problems of model.controls, model.moderation and model.moderated_mediation, with their key paths."""
    problems: list[tuple[tuple, str]] = []
    codes = [c.code for c in study.constructs]
    background = {b.code: b for b in study.background}
    items_of = {c.code: {i.code for i in c.items} | {i.code for d in c.dimensions for i in study.construct(d).items}
                for c in study.constructs if c.code in codes and all(d in codes for d in c.dimensions)}
    controls: dict[str, int] = {}
    for ci, control in enumerate(study.model.controls):
        question = control if isinstance(control, str) else control.question
        reference = None if isinstance(control, str) else control.reference
        loc = ("model", "controls", ci)
        if question not in background:
            problems.append((loc if isinstance(control, str) else (*loc, "question"),
                             f"model.controls: {question!r} is not a background question{_hint(question, background)}"))
            continue
        if question in controls:
            problems.append((loc, f"model.controls: {question} is listed twice (also model.controls.{controls[question]})"))
        controls.setdefault(question, ci)
        problems += [((*loc, "reference"), msg) for msg in _reference_problems(background[question], reference,
                                                                               "model.controls")]

    def moderator(w: str, reference, ends: dict[str, str], loc: tuple, name: str, sign) -> None:
        kind = study.variable_kind(w)
        if kind is None:
            every = codes + list(background) + [i.code for i in study.items]
            problems.append(((*loc, "w"), f"{name}: the moderator {w!r} is neither a construct, a background question "
                                          f"nor an item{_hint(w, every)}"))
            return
        for role, code in ends.items():
            if w == code:
                problems.append(((*loc, "w"), f"{name}: the moderator {w} is also {role}; a variable cannot moderate "
                                              "its own effect — choose another moderator"))
                return
            if kind == "item" and w in items_of.get(code, set()):
                problems.append(((*loc, "w"), f"{name}: the moderator {w} is an item of {code} ({role}); a moderator "
                                              "must be measured apart from the constructs of the path"))
                return
            if kind == "construct" and (w in study.construct(code).dimensions or code in study.construct(w).dimensions):
                problems.append(((*loc, "w"), f"{name}: the moderator {w} and {code} ({role}) are a construct and its "
                                              "dimension; choose a moderator measured apart from the path"))
                return
        if kind == "background" and w in controls:
            problems.append(((*loc, "w"), f"{name}: {w} is also in model.controls; as the moderator it enters the "
                                          "model itself, so remove it from the controls"))
        if reference is not None and kind != "background":
            problems.append(((*loc, "reference"), f"{name}: reference is for a categorical background question; "
                                                  f"the moderator {w} is a{'n item' if kind == 'item' else ' construct'}"))
        elif kind == "background":
            problems.extend(((*loc, "reference"), f"{name}: {msg}") for msg in
                            _reference_problems(background[w], reference, None))
            q = background[w]
            if sign is not None and q.type == "categorical" and len(q.levels) > 2:
                problems.append(((*loc, "sign"), f"{name}: {w} has {len(q.levels)} levels, so the moderation is tested "
                                                 "by several products at once and has no single sign; remove sign"))

    for mi, m in enumerate(study.model.moderation):
        loc = ("model", "moderation", mi)
        name = f"moderation {m.id}" if m.id else f"moderation of {m.x} -> {m.y}"
        check_id(m.id, loc)
        bad = False
        for key, end in (("x", m.x), ("y", m.y)):
            if end not in codes:
                problems.append(((*loc, key), f"{name}: {end!r} is not a construct{_hint(end, codes)}"))
                bad = True
        if bad:
            continue
        if m.x == m.y:
            problems.append(((*loc, "y"), f"{name}: x and y are both {m.y}"))
            continue
        if (m.x, m.y) not in paths:
            problems.append(((*loc, "y"), f"{name}: the path {m.x} -> {m.y} is not a hypothesis of the model; a "
                                          "moderator acts on a hypothesised path: add it to model.hypotheses or "
                                          "change x and y"))
            continue
        moderator(m.w, m.reference, {"x": m.x, "y": m.y}, loc, name, m.sign)
    for mi, m in enumerate(study.model.moderated_mediation):
        loc = ("model", "moderated_mediation", mi)
        name = f"moderated mediation {m.id}" if m.id else "moderated mediation " + "->".join(m.path)
        check_id(m.id, loc)
        unknown = [(pi, p) for pi, p in enumerate(m.path) if p not in codes]
        if unknown:
            problems.extend(((*loc, "path", pi), f"{name}: {p!r} is not a construct{_hint(p, codes)}")
                            for pi, p in unknown)
            continue
        if len(set(m.path)) < 3:
            problems.append(((*loc, "path"), f"{name}: X, M and Y must be three different constructs"))
            continue
        missing = [(pi, a, b) for pi, (a, b) in enumerate(zip(m.path, m.path[1:])) if (a, b) not in paths]
        if missing:
            problems.extend(((*loc, "path", pi + 1), f"{name}: the path {a} -> {b} is not a hypothesis of the model; "
                                                     "add it to model.hypotheses or change the path")
                            for pi, a, b in missing)
            continue
        moderator(m.w, m.reference, {"x": m.path[0], "the mediator": m.path[1], "y": m.path[2]}, loc, name, m.sign)
    return problems


def _reference_problems(question: "BackgroundQuestion", reference, where: str | None) -> list[str]:
    """A reference level must be a level of a categorical question."""
    prefix = f"{where}: " if where else ""
    if question.type == "numeric":
        return [f"{prefix}{question.code} is a numeric question, entered as it is; a reference level is only for "
                "categorical questions"] if reference is not None else []
    if reference is None or not question.levels:
        return []
    levels = [str(level.code) for level in question.levels]
    if str(reference) not in levels:
        return [f"{prefix}the reference {reference!r} is not a level of {question.code} (levels: {', '.join(levels)})"]
    return []
