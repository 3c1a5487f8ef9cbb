"""The inverted index gives exactly the model's scores, updates without a rebuild, survives a restart."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.index import PRUNE_HEAD, MatchIndex, _Keep
from microcareer.domain.matching.scoring import match
from microcareer.domain.profiles.skill_graph import SkillGraph, best_sources, credits_to
from tests.unit.domain.matching.graph_helpers import LABELS, PYTHON, SQL, WELDING, graph

SKILLS = list(LABELS)


def population(n: int, seed: int = 3) -> list[PersonFacts]:
    rng = random.Random(seed)
    people = []
    for user_id in range(1, n + 1):
        held = rng.sample(SKILLS, rng.randint(0, 3))
        people.append(
            PersonFacts(
                user_id,
                f"p{user_id}",
                {s: round(rng.uniform(0.2, 1.0), 3) for s in held},
                hourly_rate=rng.choice([None, 20.0, 60.0]),
                currency=rng.choice(["EUR", "USD"]),
                hours_per_week=rng.choice([None, 5, 40]),
                city=rng.choice(["", "Berlin", "Lyon"]),
                languages=frozenset(rng.sample(["english", "german"], rng.randint(0, 2))),
                reputation=rng.choice([None, 20, 90]),
            )
        )
    return people


JOBS = [
    JobFacts(1, "a", (PYTHON,), (SQL,)),
    JobFacts(2, "b", (SQL, WELDING), hourly_budget=30.0, hours_per_week=10.0),
    JobFacts(3, "c", (PYTHON,), remote=False, place="Berlin", languages=frozenset({"german"})),
]


def exact(people: list[PersonFacts], job: JobFacts, g: SkillGraph, k: int) -> list[tuple[int, float]]:
    scored = [(p.user_id, match(p, job, g).score) for p in people]
    scored = [s for s in scored if s[1] > 0]
    return sorted(scored, key=lambda s: (-s[1], s[0]))[:k]


def check(index: MatchIndex, people: list[PersonFacts], g: SkillGraph) -> None:
    """Same scores rank by rank, and each person found has the model's score (strengths are float32 in
    the index, so near-ties may swap: compared to 1e-4)."""
    by_id = {p.user_id: p for p in people}
    for job in JOBS:
        got = index.top(job, g, k=20)
        want = exact(people, job, g, 20)
        assert [s.score for s in got] == pytest.approx([s for _, s in want], abs=1e-4)
        for found in got:
            assert found.score == pytest.approx(match(by_id[found.user_id], job, g).score, abs=1e-4)


def test_credits_to_is_credits_from_backwards() -> None:
    g = graph()
    forward = {(c.source, c.target, c.link) for s in SKILLS for c in g.credits_from(s)}
    backward = {(c.source, c.target, c.link) for t in SKILLS for c in credits_to(g, t)}
    assert forward == backward
    assert best_sources(g, PYTHON)[PYTHON].value == 1.0


def test_index_scores_equal_the_model(passes: str) -> None:
    people = population(300)
    check(MatchIndex.build(people), people, graph())


def test_upsert_and_remove_without_rebuild_then_save_and_load(tmp_path: Path, passes: str) -> None:
    g = graph()
    people = population(200)
    index = MatchIndex.build(people)
    changed = population(60, seed=9)  # user ids 1-60 change, 201-230 are new
    moved = [
        PersonFacts(p.user_id + (170 if p.user_id > 30 else 0), p.name, p.strengths, reputation=p.reputation)
        for p in changed
    ]
    for person in moved:
        index.upsert(person)
    index.remove(5)
    current = {p.user_id: p for p in people}
    current.update({p.user_id: p for p in moved})
    del current[5]
    check(index, list(current.values()), g)
    path = tmp_path / "match.npz"
    index.save(path)
    again = MatchIndex.load(path)
    check(again, list(current.values()), g)
    assert len(again) == len(current)


def test_the_exact_prune_keeps_the_models_top(passes: str) -> None:
    """With a small ``k`` the terms are scored for the best ``PRUNE_HEAD x k`` skills scores first and
    the rest pruned by that bound: the top is still the model's."""
    g = graph()
    people = population(300)
    index = MatchIndex.build(people)
    for job in JOBS:
        rows, _ = index.skills_scores(job, g)
        for k in (1, 3, 5):
            assert len(rows) > 2 * PRUNE_HEAD * k  # the prune runs
            got = index.top(job, g, k=k)
            want = exact(people, job, g, k)
            assert [s.score for s in got] == pytest.approx([s for _, s in want], abs=1e-4)


@pytest.fixture(params=["dense", "slots", "bounded"])
def passes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every way ``top`` works: ``skills_scores`` per person (below ``SLOTS_FROM``) or per candidate
    (from it), and the bounded pass (from ``BOUND_FROM``)."""
    import microcareer.domain.matching.index as module

    monkeypatch.setattr(module, "SLOTS_FROM", 10**9 if request.param == "dense" else 0)
    monkeypatch.setattr(module, "BOUND_FROM", 0 if request.param == "bounded" else 10**12)
    return str(request.param)


@pytest.mark.parametrize("low", [0.5, 0.6, 0.8])
def test_the_bounded_pass_gives_the_full_passs_top_to_the_bit(
    monkeypatch: pytest.MonkeyPatch, low: float
) -> None:
    """``_top_bounded`` reads the low-credit sources only for the people who may reach the top: its
    answer is the full pass's, scores to the bit, also with upserted and removed rows and people
    excluded, whatever the credit under which a source is low (at 0.8 a low source can meet a required
    skill); and it does answer (and leaves people out) for some of these jobs."""
    import microcareer.domain.matching.index as module

    monkeypatch.setattr(module, "LOW_CREDIT", low)

    g = graph()
    people = population(2000, seed=11)
    index = MatchIndex.build(people)
    for person in population(40, seed=12):
        index.upsert(replace(person, user_id=person.user_id + (3000 if person.user_id > 20 else 0)))
    index.remove(7)
    jobs = [*JOBS, JobFacts(4, "d", (PYTHON, SQL)), JobFacts(5, "e", (), (PYTHON, WELDING))]
    answered = 0
    scored: list[int] = []
    original = module.MatchIndex._best

    def best(self: MatchIndex, rows: Any, skills: Any, job: JobFacts, k: int, exclude: Any) -> Any:
        scored.append(len(rows))
        return original(self, rows, skills, job, k, exclude)

    monkeypatch.setattr(module.MatchIndex, "_best", best)
    for job in jobs:
        candidates = len(index.skills_scores(job, g)[0])
        for k in (1, 5, 20):
            for exclude in ((), (1, 2, 3)):
                monkeypatch.setattr(module, "BOUND_FROM", 10**12)
                full = index.top(job, g, k=k, exclude=exclude)
                scored.clear()
                bounded = index._top_bounded(job, g, k, _Keep(np.asarray(exclude, np.int64), None))
                if bounded is not None:
                    answered += 1
                    assert bounded == full  # the same people, the same floats
                    assert scored
                    assert scored[0] < candidates
                monkeypatch.setattr(module, "BOUND_FROM", 0)
                assert index.top(job, g, k=k, exclude=exclude) == full
    assert answered >= 6


def test_both_passes_give_the_same_rows_and_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    import microcareer.domain.matching.index as module

    g = graph()
    index = MatchIndex.build(population(400, seed=8))
    index.remove(5)  # a row no longer alive is left out by both
    for job in JOBS:
        monkeypatch.setattr(module, "SLOTS_FROM", 10**9)
        dense = index.skills_scores(job, g)
        monkeypatch.setattr(module, "SLOTS_FROM", 0)
        rows, skills = index.skills_scores(job, g)
        order = np.argsort(rows)
        assert rows[order].tolist() == dense[0].tolist()
        assert skills[order].tolist() == dense[1].tolist()  # to the bit


def test_the_slots_kept_between_queries_are_set_back_and_change_no_answer(passes: str) -> None:
    """``skills_scores`` keeps its slot array for the next query and sets back only the rows it
    touched: each query alone, in any order, after an upsert (a new size) and with the scratch taken
    by another query (a fresh one is made) gives the same answer."""
    g = graph()
    people = population(300, seed=5)
    index = MatchIndex.build(people)
    alone = {job.job_id: MatchIndex.build(people).top(job, g, k=20) for job in JOBS}
    for _ in range(2):
        for job in [*JOBS, *reversed(JOBS)]:
            assert index.top(job, g, k=20) == alone[job.job_id]
    kept = index._scratch.take(len(index.user_ids))  # as if another thread were inside a query
    assert (kept == -1).all()
    assert index.top(JOBS[0], g, k=20) == alone[JOBS[0].job_id]
    index._scratch.give_back(kept)
    newcomer = replace(people[0], user_id=10_000)
    index.upsert(newcomer)
    check(index, [*people, newcomer], g)


def test_the_filters_apply_before_the_top_is_taken(passes: str) -> None:
    """``exclude`` and ``shown`` (organisation-only people left out unless named) are applied before
    the top is taken, in every pass: the answer is the full ranking's, filtered, cut at ``k`` (ties
    by user id: twins of the same facts are in it), also with upserted and removed rows; and
    ``holders`` counts the people ``skills_scores`` reaches, filtered alike."""
    g = graph()
    people = population(900, seed=21)
    people += [replace(p, user_id=p.user_id + 5000) for p in people[:300]]  # ties
    org_only = {p.user_id for p in people if p.user_id % 3 == 0}
    index = MatchIndex.build(people, org_only=org_only)
    for person in population(30, seed=22):
        moved = replace(person, user_id=person.user_id * 7)
        index.upsert(moved, org_only=person.user_id % 2 == 0)
        org_only.discard(moved.user_id)
        if person.user_id % 2 == 0:
            org_only.add(moved.user_id)
    index.remove(10)
    shown = {u for u in org_only if u % 2 == 0}
    exclude = (1, 2, 6, 12, 5001)
    left_out = 0
    for job in JOBS:
        everyone = index.top(job, g, k=len(index.user_ids))
        rows, _ = index.skills_scores(job, g)
        users = set(index.user_ids[rows].tolist())
        for k in (1, 7, 40):
            filtered = [
                s
                for s in everyone
                if s.user_id not in exclude and (s.user_id not in org_only or s.user_id in shown)
            ]
            left_out += len(everyone) - len(filtered)
            assert index.top(job, g, k=k, exclude=exclude, shown=shown) == filtered[:k]
            assert index.top(job, g, k=k, shown=None) == everyone[:k]
        assert index.holders(job, g) == len(users)
        wanted = {u for u in users if u not in exclude and (u not in org_only or u in shown)}
        assert index.holders(job, g, exclude=exclude, shown=shown) == len(wanted) < len(users)
    assert left_out


def test_a_compaction_folded_apart_keeps_what_changed_meanwhile(tmp_path: Path, passes: str) -> None:
    """``begin_compaction``, then upserts and removals (of rows it folds, and others), then ``fold``,
    ``save`` and ``finish_compaction``: the index answers as the model does all along, the rows changed
    meanwhile stay in the delta, and once compacted it gives to the bit what an index compacted at
    once after the same changes gives; the file is the index as it was at the beginning."""
    g = graph()
    people = population(500, seed=41)
    index, twin = MatchIndex.build(people), MatchIndex.build(people)
    current = {p.user_id: p for p in people}
    first, meanwhile, after = population(60, seed=43), population(110, seed=44), population(150, seed=45)

    def change(batch: list[PersonFacts]) -> None:
        for person in batch:
            moved = replace(person, user_id=person.user_id + (1000 if person.user_id % 4 == 0 else 0))
            for each in (index, twin):
                if moved.user_id % 7 == 0:
                    each.remove(moved.user_id)
                else:
                    each.upsert(moved, org_only=moved.user_id % 2 == 0)
            if moved.user_id % 7 == 0:
                current.pop(moved.user_id, None)
            else:
                current[moved.user_id] = moved

    change(first)
    at_begin = dict(current)
    compaction = index.begin_compaction()
    change(meanwhile[40:])  # some of the rows it folds again (other facts), new ones, removals
    check(index, list(current.values()), g)
    compaction.fold()
    compaction.save(tmp_path / "m.npz")
    change(after[100:])
    assert index.finish_compaction(compaction)
    assert not index.finish_compaction(compaction)  # once only
    assert 0 < index.delta_size < twin.delta_size
    check(index, list(current.values()), g)
    index.compact()
    twin.compact()
    for job in JOBS:
        for k in (1, 10, 40):
            assert index.top(job, g, k=k) == twin.top(job, g, k=k)
            assert index.top(job, g, k=k, shown=()) == twin.top(job, g, k=k, shown=())
    saved = MatchIndex.load(tmp_path / "m.npz")
    assert len(saved) == len(at_begin)
    check(saved, list(at_begin.values()), g)
