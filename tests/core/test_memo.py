from core.memo import memo, remember


class Owner:
    pass


def test_a_value_is_computed_once_per_owner_and_can_be_told_in_advance():
    calls = []
    first, second = Owner(), Owner()
    assert memo(first, "n", lambda: calls.append(1) or 3) == 3
    assert memo(first, "n", lambda: calls.append(1) or 4) == 3
    assert calls == [1]
    assert memo(second, "n", lambda: 5) == 5  # another request, another user object
    remember(second, "m", 0)
    assert memo(second, "m", lambda: 9) == 0  # zero is a value, not "not computed"
