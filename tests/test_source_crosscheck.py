"""The catalogue against the official text it encodes: they cannot drift apart.

Every numbered task of sections III and IV of the source has its catalogue
task(s), with the same words (compared through the matching key, so that
typos and tone placement stay verbatim) and a deadline rule equal to the one
parsed from the source's own phrase. Bullets without a phrase carry a
written reading, and only the ones docs/design.md §6 lists do.
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
    "III.2.2.10b",
    "III.2.9.2",
    "IV.1",
    "IV.3",
}


def task_ids(item):
    if len(item.segments) == 1:
        return [item.id]
    return [f"{item.id}{'abcdefgh'[i]}" for i in range(len(item.segments))]


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


@pytest.mark.parametrize("item_id", list(ITEMS))
def test_catalogue_matches_source_words_and_deadline(catalog, item_id):
    item = ITEMS[item_id]
    for task_id, segment in zip(task_ids(item), item.segments, strict=True):
        task = catalog.task(task_id)
        assert key(task.text_vi) == key(segment.text), task_id
        assert task.section == item.section
        if segment.phrase:
            assert key(task.deadline_phrase) == key(segment.phrase), task_id
            assert task.rule == parse_phrase(segment.phrase), task_id
            assert not task.deadline_reading
            assert task_id not in NO_PHRASE
        else:
            assert task_id in NO_PHRASE, f"{task_id} has no phrase in the source"
            assert not task.deadline_phrase and task.deadline_reading and task.reading_note


def test_no_phrase_list_is_exact_and_documented(catalog):
    readings = {t.task_id for t in catalog.tasks.values() if t.deadline_reading}
    assert readings == NO_PHRASE
    readme = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    for task_id in NO_PHRASE:
        assert re.search(rf"`{re.escape(task_id)}`", readme), f"design does not explain {task_id}"


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
    assert "306-QĐ/TU" in catalog.task("III.2.2.9").documents
    assert "151-KH/TU" in catalog.task("III.2.1.1").documents
