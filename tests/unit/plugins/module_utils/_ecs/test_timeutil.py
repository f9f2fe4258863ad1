# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import datetime

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import (
    format_duration,
    normalize_api_time,
    parse_duration,
    parse_user_time,
)

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("value, expected", [
    (0, 0.0),
    (90, 90.0),
    (1.5, 1.5),
    ("90", 90.0),
    ("2.5", 2.5),
    ("90s", 90.0),
    ("20m", 1200.0),
    ("1h30m", 5400.0),
    ("1h30m15s", 5415.0),
    ("500ms", 0.5),
    ("2d", 172800.0),
    ("1H30M", 5400.0),
    (" 1h 30m ", 5400.0),
    ("20 m", 1200.0),
    ("1.5h", 5400.0),
    ("1m500ms", 60.5),
])
def test_parse_duration_accepts(value, expected):
    assert parse_duration(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "abc", "1h30", "5x", "h", "1h-30m", "nan", "inf", None, [], {}, True, False])
def test_parse_duration_rejects_with_option_value_and_examples(value):
    with pytest.raises(ConfigError) as info:
        parse_duration(value, option="delay")
    assert info.value.option == "delay"
    assert "delay" in info.value.message
    assert repr(value) in info.value.message
    assert "1h30m" in info.value.message


@pytest.mark.parametrize("value", [-1, -0.5, "-5", "-1h", float("inf"), float("nan")])
def test_parse_duration_rejects_negative_and_non_finite(value):
    with pytest.raises(ConfigError) as info:
        parse_duration(value)
    assert info.value.option == "timeout"


@pytest.mark.parametrize("seconds, expected", [
    (0, "0s"),
    (0.5, "0.5s"),
    (0.25, "0.25s"),
    (45, "45s"),
    (70, "1m10s"),
    (70.9, "1m10s"),
    (1200, "20m0s"),
    (5400, "1h30m0s"),
    (3661, "1h1m1s"),
    (59.99999999, "1m0s"),
    (90061, "25h1m1s"),
    (-70, "-1m10s"),
])
def test_format_duration(seconds, expected):
    assert format_duration(seconds) == expected


@pytest.mark.parametrize("text", ["90s", "20m", "1h30m0s", "1h30m15s"])
def test_format_parse_round_trip(text):
    assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)


@pytest.mark.parametrize("value, expected", [
    ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"),
    ("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00Z"),
    ("2024-05-01T04:30:00-0730", "2024-05-01T12:00:00Z"),
    ("2024-05-01T20:00:00+08", "2024-05-01T12:00:00Z"),
    ("2024-05-01T12:00:00.987Z", "2024-05-01T12:00:00Z"),
    ("2024-05-01 12:00:00", "2024-05-01T12:00:00Z"),
    ("2024-05-01T12:00", "2024-05-01T12:00:00Z"),
    ("2024-05-01t12:00:00z", "2024-05-01T12:00:00Z"),
    ("2024-05-01", "2024-05-01T00:00:00Z"),
    ("2024-05-01T01:00:00+02:00", "2024-04-30T23:00:00Z"),
    ("now", "2024-05-01T12:00:00Z"),
    ("NOW", "2024-05-01T12:00:00Z"),
    ("-2h", "2024-05-01T10:00:00Z"),
    ("30m", "2024-05-01T11:30:00Z"),
    ("2h ago", "2024-05-01T10:00:00Z"),
    ("1h30m ago", "2024-05-01T10:30:00Z"),
    ("1d", "2024-04-30T12:00:00Z"),
])
def test_parse_user_time(value, expected):
    assert parse_user_time(value, "start_time", now=NOW) == expected


def test_parse_user_time_now_as_naive_datetime_or_epoch():
    naive = datetime.datetime(2024, 5, 1, 12, 0, 0)
    assert parse_user_time("-1h", "end_time", now=naive) == "2024-05-01T11:00:00Z"
    assert parse_user_time("now", "end_time", now=NOW.timestamp()) == "2024-05-01T12:00:00Z"


def test_parse_user_time_defaults_to_the_real_clock():
    text = parse_user_time("now", "end_time")
    assert len(text) == 20 and text.endswith("Z")


@pytest.mark.parametrize("value", ["", "yesterday", "90", "2024-02-30", "2024-13-01", "2024-05-01T25:00:00Z",
                                   "+2h", "2h later", "0001-01-01T00:00:00+01:00", "100000000000d", None, 5])
def test_parse_user_time_rejects_with_option_and_examples(value):
    with pytest.raises(ConfigError) as info:
        parse_user_time(value, "start_time", now=NOW)
    assert info.value.option == "start_time"
    assert "start_time" in info.value.message
    assert "2h ago" in info.value.message


@pytest.mark.parametrize("value, expected", [
    ("2015-11-23T02:13Z", "2015-11-23T02:13:00Z"),
    ("2018-03-06T07:33:51Z", "2018-03-06T07:33:51Z"),
    ("2018-03-06T07:33:51.250Z", "2018-03-06T07:33:51Z"),
    ("2018-03-06T15:33:51+08:00", "2018-03-06T07:33:51Z"),
    ("", None),
    ("  ", None),
    (None, None),
    ("not a time", "not a time"),
    ("2015-02-30T00:00Z", "2015-02-30T00:00Z"),
    (1448244780, 1448244780),
])
def test_normalize_api_time(value, expected):
    assert normalize_api_time(value) == expected
