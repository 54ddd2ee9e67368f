"""Matter rules: file numbers, cleaned titles and text, and the words for what an edit changed."""

from hypothesis import given
from hypothesis import strategies as st

from agenda.matters.rules import (
    ITEM_TITLE_MAX,
    MatterFields,
    MatterStatus,
    MatterType,
    clean_text,
    clean_title,
    describe_changes,
    edit_summary,
    file_number,
    item_title,
    status_choices,
    status_problem,
    title_problem,
)


def test_file_numbers_name_type_year_and_sequence():
    assert file_number(MatterType.RESOLUTION, 26, 214) == "Res 26-214"
    assert file_number(MatterType.ORDINANCE, 2026, 1) == "Ord 26-001"
    assert file_number(MatterType.PROCLAMATION, 5, 12) == "Proc 05-012"
    assert file_number(MatterType.REPORT, 26, 1234) == "Rpt 26-1234"


def test_titles_are_one_line_and_required():
    assert clean_title("  End the 287(g)\r\n agreement  ") == "End the 287(g) agreement"
    assert title_problem(clean_title(" \n ")) == "Give the matter a title."
    assert title_problem("x" * 1000) is None
    assert "1000 characters" in (title_problem("x" * 1001) or "")


def test_text_gets_unix_line_ends():
    assert clean_text("WHEREAS one;\r\n\r\nWHEREAS two;\r\n\r\n") == "WHEREAS one;\n\nWHEREAS two;"


def test_an_edit_is_described_in_words():
    old = MatterFields("Title", "Text", (1, 2), MatterStatus.FILED)
    assert describe_changes(old, old) == []
    new = MatterFields("New title", "Text", (2, 1), MatterStatus.WITHDRAWN)
    changes = describe_changes(old, new)
    assert changes == ["title changed", "sponsors changed", "status changed to Withdrawn"]
    assert edit_summary("Res 26-001", changes[:1]) == "Matter Res 26-001 edited: title changed"


@given(st.text(min_size=0, max_size=1200))
def test_item_titles_always_fit_and_keep_short_titles(title):
    cut = item_title(title)
    assert len(cut) <= ITEM_TITLE_MAX
    if len(title) <= ITEM_TITLE_MAX:
        assert cut == title
    else:
        assert cut.endswith("…")
        assert title.startswith(cut[:-1])


def test_only_stages_that_decide_nothing_are_set_by_hand():
    assert status_problem(MatterStatus.FILED, MatterStatus.WITHDRAWN) is None
    assert status_problem(MatterStatus.ON_AGENDA, MatterStatus.ON_AGENDA) is None
    assert status_problem(MatterStatus.ADOPTED, MatterStatus.ADOPTED) is None
    assert "comes only from the vote" in (
        status_problem(MatterStatus.FILED, MatterStatus.ADOPTED) or ""
    )
    assert "comes only from the vote" in (
        status_problem(MatterStatus.ON_AGENDA, MatterStatus.FAILED) or ""
    )
    assert "placing the matter" in (
        status_problem(MatterStatus.FILED, MatterStatus.ON_AGENDA) or ""
    )
    assert status_choices(MatterStatus.ON_AGENDA) == [
        MatterStatus.DRAFT,
        MatterStatus.FILED,
        MatterStatus.ON_AGENDA,
        MatterStatus.WITHDRAWN,
    ]
    assert MatterStatus.ADOPTED in status_choices(MatterStatus.ADOPTED)
    assert MatterStatus.ADOPTED not in status_choices(MatterStatus.FILED)
