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
