"""Cross-country pairing: nobody alone, countries mixed whenever the room allows, no pair
twice when a fresh grouping exists."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflections.pairing import NotEnoughPeople, fewest_unmixed, make_groups, mixed, pairs_in

rooms = st.lists(st.sampled_from(["FI", "SE", "BE", "NL", "FR"]), min_size=2, max_size=41).map(
    lambda countries: list(enumerate(countries))
)


@given(rooms, st.integers())
def test_everyone_is_in_exactly_one_pair_or_trio(people, seed):
    groups = make_groups(people, seed=seed)
    assert sorted(key for group in groups for key in group) == [key for key, _c in people]
    sizes = Counter(len(group) for group in groups)
    assert set(sizes) <= {2, 3}
    assert sizes[3] == len(people) % 2


@given(rooms, st.integers())
def test_groups_mix_countries_whenever_the_room_allows(people, seed):
    counts = Counter(country for _key, country in people)
    groups = make_groups(people, seed=seed)
    country_of = dict(people)
    if max(counts.values()) <= len(people) // 2:
        assert all(mixed(group, country_of) for group in groups)


@given(rooms, st.integers())
def test_one_country_groups_only_as_many_as_the_room_forces(people, seed):
    country_of = dict(people)
    groups = make_groups(people, seed=seed)
    assert sum(1 for group in groups if not mixed(group, country_of)) == fewest_unmixed(country_of)


@settings(max_examples=60)
@given(st.integers(min_value=6, max_value=30), st.integers())
def test_re_pairing_repeats_no_pair_when_everyone_is_from_elsewhere(size, seed):
    countries = ["FI", "SE", "BE"]
    people = [(key, countries[key % 3]) for key in range(size)]
    first = make_groups(people, seed=seed)
    history = set().union(*(pairs_in(group) for group in first))
    second = make_groups(people, history=history, seed=seed + 1)
    country_of = dict(people)
    assert all(mixed(group, country_of) for group in second)
    assert not set().union(*(pairs_in(group) for group in second)) & history


def test_four_people_of_two_countries_meet_the_other_two_on_re_pairing():
    people = [("a1", "FI"), ("a2", "FI"), ("b1", "SE"), ("b2", "SE")]
    first = make_groups(people, seed=1)
    history = set().union(*(pairs_in(group) for group in first))
    second = make_groups(people, history=history, seed=2)
    assert {frozenset(group) for group in first} | {frozenset(group) for group in second} == {
        frozenset(pair) for pair in [("a1", "b1"), ("a2", "b2"), ("a1", "b2"), ("a2", "b1")]
    }


def test_an_odd_one_makes_a_trio_and_one_person_is_refused():
    assert [len(group) for group in make_groups([(1, "FI"), (2, "SE"), (3, "BE")])] == [3]
    with pytest.raises(NotEnoughPeople):
        make_groups([(1, "FI")])
    with pytest.raises(NotEnoughPeople):
        make_groups([])
