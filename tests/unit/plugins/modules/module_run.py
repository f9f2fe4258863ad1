# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module's main() in-process with given arguments: the one test helper that needs Ansible."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args


def run_main(main, args, capsys):
    """Run ``main()`` with these module arguments; (exit code, the JSON result)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit) as caught:
            main()
    return caught.value.code, json.loads(capsys.readouterr().out)


def assert_failed_before_any_call(code, result, fragments, client):
    """A module run that failed on its input: a message with each fragment, no traceback, no API call."""
    assert code == 1
    assert result["failed"] is True
    for fragment in fragments:
        assert fragment in result["msg"], (fragment, result["msg"])
    assert "Traceback" not in json.dumps(result)
    assert client.log == []
