from hypothesis import given, settings
from hypothesis import strategies as st

from practices.assignment import Item, Reviewer, assign, can_review

COUNTRIES = ["BE", "FI", "SE"]

reviewers_strategy = st.lists(
    st.tuples(st.sampled_from(COUNTRIES), st.integers(1, 6)), min_size=0, max_size=25
).map(lambda rows: [Reviewer(i + 1, c, o) for i, (c, o) in enumerate(rows)])
items_strategy = st.lists(
    st.tuples(st.sampled_from(COUNTRIES), st.integers(1, 6)), min_size=0, max_size=25
).map(lambda rows: [Item(100 + i, c, o) for i, (c, o) in enumerate(rows)])


@settings(max_examples=200, deadline=None)
@given(items_strategy, reviewers_strategy, st.integers(1, 5))
def test_assign_never_uses_own_country_and_fills_what_it_can(items, reviewers, per_practice):
    plan = assign(items, reviewers, per_practice)
    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    assert set(plan) == {item.id for item in items}
    for item in items:
        chosen = plan[item.id]
        eligible = [r for r in reviewers if can_review(r, item)]
        assert len(chosen) == len(set(chosen))
        assert len(chosen) == min(per_practice, len(eligible))
        assert all(by_id[r].country != item.country for r in chosen)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(1, 12), st.integers(1, 5))
def test_assign_balances_load_when_everyone_may_review_everything(items, reviewers, per_practice):
    practices = [Item(1000 + i, "DE", 99) for i in range(items)]
    people = [Reviewer(i + 1, COUNTRIES[i % 3], i % 4) for i in range(reviewers)]
    plan = assign(practices, people, per_practice)
    load = {person.id: 0 for person in people}
    for chosen in plan.values():
        for reviewer_id in chosen:
            load[reviewer_id] += 1
    assert max(load.values()) - min(load.values()) <= 1


@given(items_strategy, reviewers_strategy)
def test_assign_respects_exclusions_and_is_repeatable(items, reviewers):
    excluded = {(item.id, reviewer.id) for item in items[:3] for reviewer in reviewers[:3]}
    plan = assign(items, reviewers, 2, excluded=excluded)
    assert plan == assign(items, reviewers, 2, excluded=excluded)
    for item_id, chosen in plan.items():
        assert not any((item_id, reviewer_id) in excluded for reviewer_id in chosen)


def test_assign_counts_existing_load():
    people = [Reviewer(1, "FI", 1), Reviewer(2, "FI", 2)]
    plan = assign([Item(10, "BE", 3)], people, 1, existing_load={1: 5})
    assert plan == {10: [2]}
