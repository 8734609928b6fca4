"""Cross-country pairing: pairs (a trio when the number is odd) of people from different
countries, avoiding pairs that have already talked.

Pure functions on plain data: a person is (key, country); history is a set of frozensets
of two keys that were together before. Nobody is left alone: an odd one makes a trio.
"""

import random
from collections import Counter
from itertools import combinations


class NotEnoughPeople(ValueError):
    """Pairing needs at least two people."""


def pairs_in(group):
    return {frozenset(pair) for pair in combinations(group, 2)}


def mixed(group, country_of):
    return len({country_of[key] for key in group}) > 1


def cost(groups, country_of, history):
    """Groups of one country weigh most, then pairs who have already talked."""
    unmixed = sum(1 for group in groups if not mixed(group, country_of))
    repeats = sum(len(pairs_in(group) & history) for group in groups)
    return unmixed * 1000 + repeats


def interleaved(people, rng):
    """A first grouping that mixes countries whenever the biggest country has at most
    half of the people: ordered country by country, biggest first, person i is paired
    with person i + n // 2, so two people of one country never meet."""
    counts = Counter(country for _key, country in people)
    countries = sorted(counts, key=lambda country: (-counts[country], rng.random()))
    ordered = []
    for country in countries:
        keys = [key for key, of in people if of == country]
        rng.shuffle(keys)
        ordered.extend(keys)
    half = len(ordered) // 2
    groups = [[ordered[index], ordered[index + half]] for index in range(half)]
    if len(ordered) % 2:
        # The odd one out joins a pair: a trio, never alone.
        groups[rng.randrange(len(groups))].append(ordered[-1])
    return groups


def group_cost(group, country_of, history):
    return (0 if mixed(group, country_of) else 1000) + len(pairs_in(group) & history)


def fewest_unmixed(country_of):
    """The least number of one-country groups any grouping has: the people of the biggest
    country who cannot all have a partner from elsewhere pair among themselves."""
    counts = Counter(country_of.values())
    largest = max(counts.values())
    return max(0, (largest - (len(country_of) - largest)) // 2)


def improved(groups, country_of, history, rng, rounds=50):
    """Swap people between groups while that lowers the cost (local search); a swap only
    changes the cost of the two groups it touches."""
    groups = [list(group) for group in groups]
    costs = [group_cost(group, country_of, history) for group in groups]
    floor = fewest_unmixed(country_of)
    for _ in range(rounds):
        if sum(costs) == 0 or len(groups) < 2:
            break
        better = False
        # Groups with a repeated pair look for a swap; one-country groups only while there
        # are more of them than the room makes inevitable.
        unmixed = sum(1 for value in costs if value >= 1000)
        for a in [
            index
            for index, value in enumerate(costs)
            if value % 1000 or (value and unmixed > floor)
        ]:
            others = list(range(len(groups)))
            rng.shuffle(others)
            for b in others:
                if b == a or not costs[a]:
                    continue
                for i in range(len(groups[a])):
                    for j in range(len(groups[b])):
                        groups[a][i], groups[b][j] = groups[b][j], groups[a][i]
                        new_a = group_cost(groups[a], country_of, history)
                        new_b = group_cost(groups[b], country_of, history)
                        if new_a + new_b < costs[a] + costs[b]:
                            costs[a], costs[b] = new_a, new_b
                            better = True
                        else:
                            groups[a][i], groups[b][j] = groups[b][j], groups[a][i]
        if not better:
            break
    return groups, sum(costs)


def make_groups(people, *, history=frozenset(), seed=None, attempts=8):
    """Pairs (and one trio when the number is odd) of the people present.

    Groups mix countries whenever the room allows it, and avoid pairs in `history`
    whenever another grouping mixes as well. Raises NotEnoughPeople for fewer than two.
    """
    people = list(people)
    if len(people) < 2:
        raise NotEnoughPeople(len(people))
    rng = random.Random(seed)
    country_of = dict(people)
    history = frozenset(history)
    best_groups, best_cost = None, None
    for _attempt in range(attempts):
        groups, found = improved(interleaved(people, rng), country_of, history, rng)
        if best_cost is None or found < best_cost:
            best_groups, best_cost = groups, found
        if best_cost == 0:
            break
    return [sorted(group) for group in best_groups]
