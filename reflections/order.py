"""The speaking order of a reflection round, mixed across countries and organisations.

Pure functions on plain data: a person is (key, country, organisation). The order puts
people of different countries next to each other as far as the room allows, and spreads
each country's organisations, so the round does not hear one partner at a time.
"""

import itertools
import random
from collections import defaultdict


def same_country_neighbours(order, country_of):
    """How many times two people of one country speak one after the other."""
    return sum(1 for a, b in itertools.pairwise(order) if country_of[a] == country_of[b])


def fewest_possible_neighbours(countries):
    """The least number of same-country neighbours any order of these people can have."""
    counts = defaultdict(int)
    for country in countries:
        counts[country] += 1
    if not counts:
        return 0
    largest = max(counts.values())
    return max(0, 2 * largest - len(countries) - 1)


def speaking_order(people, *, seed=None):
    """The keys of `people` in a speaking order mixed across countries and organisations.

    Greedy: next comes someone of the country with the most people still waiting that is
    not the country who just spoke; within a country, organisations take turns. That
    reaches the fewest same-country neighbours possible (fewest_possible_neighbours).
    `seed` makes it repeatable; another seed gives another order (regenerate).
    """
    rng = random.Random(seed)
    by_country = defaultdict(lambda: defaultdict(list))
    for key, country, organisation in people:
        by_country[country or ""][organisation or ""].append(key)
    queues = {}
    for country, organisations in by_country.items():
        lists = list(organisations.values())
        for keys in lists:
            rng.shuffle(keys)
        rng.shuffle(lists)
        # Organisations take turns: one of each, then the next of each.
        queue = []
        longest = max(len(keys) for keys in lists)
        for index in range(longest):
            queue.extend(keys[index] for keys in lists if index < len(keys))
        queues[country] = queue
    order = []
    last = None
    while any(queues.values()):
        candidates = [country for country, queue in queues.items() if queue]
        rng.shuffle(candidates)
        candidates.sort(key=lambda country: (country == last, -len(queues[country])))
        chosen = candidates[0]
        order.append(queues[chosen].pop(0))
        last = chosen
    return order


def moved(order, key, offset):
    """The order with `key` moved `offset` places (-1 earlier, +1 later), kept in bounds."""
    order = list(order)
    index = order.index(key)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    return order
