"""The catalogue against the official text it encodes: they cannot drift apart.

Every numbered task of sections III and IV of the source has its catalogue
task(s), with the same words (compared through the matching key, so that
typos and tone placement stay verbatim) and a deadline rule equal to the one
parsed from the source's own phrase — or is another id of a task
(``task_aliases.csv``). Bullets without a phrase carry a written reading, and
only the ones docs/design.md §6 lists do; so do the few phrases we read
otherwise, which stay verbatim beside the reading.
"""

import re
import unicodedata
from collections import Counter

import pytest

from nq28_analysis.common.text import key
from nq28_analysis.reference.phrases import parse_phrase
from nq28_analysis.reference.source import documents_in, read_source

from .helpers import ROOT, SOURCE

ITEMS = read_source(SOURCE)

# Bullets the source gives no deadline phrase; each reading is in docs/design.md §6.
NO_PHRASE = {
    "III.1.1",
    "III.1.2",
    "III.1.3",
    "III.1.4",
    "III.2.2.2",
    "III.2.2.6",
    "III.2.2.7",
    "III.2.2.9a",
    "III.2.2.10b",
    "IV.1",
    "IV.3",
}
# Phrases the source gives that we read otherwise (docs/design.md §6): the phrase
# stays verbatim in the catalogue, the reading beside it makes the rule.
READ_OVER_PHRASE = {"III.2.2.4": "recurring", "III.2.2.8": "recurring"}
# One-phrase bullets split by our reading into an ongoing part and the part the
# deadline closes (docs/design.md §6): the parts' texts make the bullet's text.
SPLIT_BY_READING = {"III.2.2.9": ("III.2.2.9a", "III.2.2.9b")}
# Other ids of tasks (task_aliases.csv): a retired id, or a bullet that is the
# same work as another task and is counted there.
ALIASES = {"III.2.2.9": "III.2.2.9b", "III.2.9.2": "IV.2"}


def task_ids(item):
    if item.id in SPLIT_BY_READING:
        return list(SPLIT_BY_READING[item.id])
    if item.id in ALIASES:
        return []
    if len(item.segments) == 1:
        return [item.id]
    return [f"{item.id}{'abcdefgh'[i]}" for i in range(len(item.segments))]


def parts(item):
    """(task id, source text, source phrase) of each catalogue task of ``item``."""
    ids = task_ids(item)
    if not ids:  # counted under the task it is another id of
        return []
    if item.id in SPLIT_BY_READING:
        (segment,) = item.segments
        return [(task_id, None, "") for task_id in ids[:-1]] + [(ids[-1], None, segment.phrase)]
    return [(t, s.text, s.phrase) for t, s in zip(ids, item.segments, strict=True)]


def test_source_items_by_section():
    counts = Counter(item.section for item in ITEMS.values())
    assert counts == {
        "III.1": 4,
        "III.2.1": 6,
        "III.2.2": 10,
        "III.2.3": 6,
        "III.2.4": 4,
        "III.2.5": 4,
        "III.2.6": 4,
        "III.2.7": 3,
        "III.2.8": 3,
        "III.2.9": 4,
        "IV": 3,
    }
    assert {"III.2.9.2.1", "III.2.9.2.2"} <= set(ITEMS)


def test_bullets_split_by_page_breaks_are_joined():
    assert "chú trọng xây dựng đội ngũ cán bộ" in ITEMS["III.2.2.3"].text
    assert "nhất là người đứng đầu" in ITEMS["III.2.2.8"].text
    assert "nơi có nhiều bức xúc nổi cộm" in ITEMS["III.2.3.4"].text


def test_two_clause_bullets_become_a_and_b():
    split = {i.id for i in ITEMS.values() if len(i.segments) > 1}
    assert split == {"III.2.2.3", "III.2.2.10", "III.2.3.6", "III.2.4.4", "III.2.7.1"}


def test_every_source_task_is_in_the_catalogue_and_nothing_else(catalog):
    expected = [tid for item in ITEMS.values() for tid in task_ids(item)]
    assert list(catalog.tasks) == expected  # same tasks, same order
    covered = set(expected) | set(ALIASES)
    assert all(item_id in covered or task_ids(ITEMS[item_id]) for item_id in ITEMS)


@pytest.mark.parametrize("item_id", list(ITEMS))
def test_catalogue_matches_source_words_and_deadline(catalog, item_id):
    item = ITEMS[item_id]
    for task_id, text, phrase in parts(item):
        task = catalog.task(task_id)
        if text is not None:
            assert key(task.text_vi) == key(text), task_id
        assert task.section == item.section
        if phrase:
            assert key(task.deadline_phrase) == key(phrase), task_id
            assert task_id not in NO_PHRASE
            if task_id in READ_OVER_PHRASE:
                assert task.read_over_phrase and task.reading_note, task_id
                assert task.rule.kind == READ_OVER_PHRASE[task_id]
            else:
                assert task.rule == parse_phrase(phrase), task_id
                assert not task.deadline_reading
        else:
            assert task_id in NO_PHRASE, f"{task_id} has no phrase in the source"
            assert not task.deadline_phrase and task.deadline_reading and task.reading_note


def test_a_bullet_split_by_reading_is_its_parts_in_order(catalog):
    for item_id, ids in SPLIT_BY_READING.items():
        (segment,) = ITEMS[item_id].segments
        joined = " ".join(catalog.task(task_id).text_vi for task_id in ids)
        assert key(joined) == key(segment.text), item_id
        # The source's phrase closes the bullet: it belongs to the last part.
        assert catalog.task(ids[-1]).rule == parse_phrase(segment.phrase)


def test_aliases_are_exact_and_name_source_bullets(catalog):
    assert {a.alias: a.task_id for a in catalog.aliases.values()} == ALIASES
    for alias, task_id in ALIASES.items():
        assert alias in ITEMS and alias not in catalog.tasks
        assert catalog.current_task_id(alias) == task_id
        assert catalog.aliases[alias].note
    # III.2.9.2 is the district committees' plan: the plan IV.2 dates, and binds them.
    assert "xay dung ke hoach" in key(ITEMS["III.2.9.2"].text)
    assert "xay dung ke hoach" in key(catalog.task("IV.2").text_vi)
    assert set(catalog.resolve(["cap-huyen"])) <= set(catalog.resolve(catalog.task("IV.2").lead))


def test_readings_are_exact_and_documented(catalog):
    readings = {t.task_id for t in catalog.tasks.values() if t.deadline_reading}
    assert readings == NO_PHRASE | set(READ_OVER_PHRASE)
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    for task_id in readings | set(ALIASES):
        assert re.search(rf"`{re.escape(task_id)}`", design), f"design does not explain {task_id}"


def test_source_typos_and_tone_placement_stay_verbatim(catalog):
    assert "tiên bộ khoa học" in catalog.task("III.2.1.4").text_vi  # sic
    assert "lan toả tâm gương" in catalog.task("III.1.3").text_vi  # sic, old tone placement
    assert "lan tỏa" in catalog.task("III.2.1.5").text_vi


def test_texts_are_nfc(catalog):
    for task in catalog.tasks.values():
        assert unicodedata.is_normalized("NFC", task.text_vi)


def test_documents_column_lists_exactly_the_documents_cited(catalog):
    for task in catalog.tasks.values():
        cited = documents_in(f"{task.text_vi} {task.deadline_text}")
        assert list(task.documents) == cited, task.task_id
    assert catalog.task("III.2.2.9b").documents == ("306-QĐ/TU",)
    assert catalog.task("III.2.2.9a").documents == ()
    assert "151-KH/TU" in catalog.task("III.2.1.1").documents
