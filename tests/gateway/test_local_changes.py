"""A process's own key changes survive a reread that read the table before them."""

from gateway.local_changes import LocalChanges


def test_a_reread_begun_before_a_change_keeps_it_and_one_begun_after_drops_it():
    changes: LocalChanges[str, int] = LocalChanges()
    stale_reread = changes.reread_starts()
    changes.record("new", 1)  # made here after the reread read the table
    changes.record("revoked", None)  # revoked here after the reread read the table
    stale = {"revoked": 7, "other": 3}
    assert changes.over(dict(stale), stale_reread) == {"other": 3, "new": 1}

    fresh_reread = changes.reread_starts()  # reads the table after both commits: it is the truth
    assert changes.over({"other": 3, "new": 1, "reborn": 9}, fresh_reread) == {"other": 3, "new": 1, "reborn": 9}
    # Once dropped, a change no longer touches even an older reading.
    assert changes.over({"revoked": 7}, stale_reread) == {"revoked": 7}
