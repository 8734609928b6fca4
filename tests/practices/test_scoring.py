from practices.scoring import criterion_results, mean_if_enough, overall_rating, weighted_rating


def test_criterion_results_hide_means_below_minimum():
    results = criterion_results([(1, 4), (1, 5), (2, 3)], [1, 2], minimum=2)
    assert results[0].count == 2
    assert results[0].mean == 4.5
    assert (results[0].lowest, results[0].highest) == (4, 5)
    assert results[0].deviation == 0.5
    assert results[1].count == 1
    assert results[1].mean is None


def test_weighted_rating_normalises_scales_and_weights():
    criteria = {1: (5, 1), 2: (3, 3)}
    assert weighted_rating({1: 5, 2: 3}, criteria) == 1.0
    assert weighted_rating({1: 1, 2: 1}, criteria) == 0.0
    assert weighted_rating({1: 5, 2: 1}, criteria) == 0.25
    assert weighted_rating({}, criteria) is None


def test_overall_rating_needs_minimum():
    assert overall_rating([1.0, 0.5], minimum=3) is None
    assert overall_rating([1.0, 0.5, 0.0], minimum=3) == 3.0


def test_mean_if_enough():
    assert mean_if_enough([4, 5], minimum=3) is None
    assert mean_if_enough([4, 5, 3], minimum=3) == 4.0
