import pandas as pd

from wra.analysis import events


def test_milestones_label_with_chinese_place_and_sort_by_date():
    actions = pd.DataFrame(
        {
            "id": ["A02", "A01", "A03"],
            "date": pd.to_datetime(["1937-01-20", "1936-10-25", "1936-11-01"]),
            "place_id": ["gaotai", "hubaokou", None],
            "milestone": ["Gaotai", "Crossing", ""],
        }
    )
    places = pd.DataFrame({"place_id": ["gaotai", "hubaokou"], "name_zh": ["高台", "虎豹口"]})
    out = events.milestones(actions, places)
    assert out["label"].tolist() == ["Crossing 虎豹口", "Gaotai 高台"]
    assert out["action_id"].tolist() == ["A01", "A02"]


def test_milestones_skip_blank_labels_and_name_an_unknown_or_missing_place_by_its_label_alone():
    actions = pd.DataFrame(
        {
            "id": ["A01", "A02", "A03", "A04", "A05"],
            "date": pd.to_datetime(["1936-10-25", "1936-11-14", "1937-01-01", "1937-01-20", "1937-03-14"]),
            "place_id": ["hubaokou", None, "atlantis", "gaotai", "shiwo"],
            "milestone": ["Crossing", "Gulang", "Gaotai taken", "  ", None],
        }
    )
    places = pd.DataFrame({"place_id": ["gaotai", "hubaokou"], "name_zh": ["高台", "虎豹口"]})
    out = events.milestones(actions, places)
    assert list(out.columns) == ["date", "label", "name_zh", "place_id", "action_id"]
    assert out.drop(columns="place_id").to_dict("list") == {
        "date": list(pd.to_datetime(["1936-10-25", "1936-11-14", "1937-01-01"])),
        "label": ["Crossing 虎豹口", "Gulang", "Gaotai taken"],
        "name_zh": ["虎豹口", "", ""],
        "action_id": ["A01", "A02", "A03"],
    }
    assert out["place_id"].fillna("-").tolist() == ["hubaokou", "-", "atlantis"]
    assert out.index.tolist() == [0, 1, 2]


def test_milestones_need_the_column():
    import pytest

    with pytest.raises(KeyError, match="actions has no 'milestone' column"):
        events.milestones(pd.DataFrame({"id": ["A01"], "date": pd.to_datetime(["1936-10-25"])}), pd.DataFrame())


def test_milestones_read_the_record_when_given_no_tables():
    from wra.record import data

    record = events.milestones()
    assert not record.empty
    pd.testing.assert_frame_equal(record, events.milestones(data.load("actions"), data.load("places")))
    pd.testing.assert_frame_equal(record, events.milestones(data.load("actions")))
    pd.testing.assert_frame_equal(record, events.milestones(places=data.load("places")))
