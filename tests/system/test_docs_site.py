# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/build.py puts every guide of docs/ into the HTML site and an install command that works today.

The full build (antsibull-docs, sphinx -W) is the `docs` stage of scripts/test.py; this checks the
steps of it that are ours, on a scratch site.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import os
import re
import subprocess
import sys

import pytest

from tests.system.ansible_run import COLLECTIONS, REPO_ROOT

SPEC = importlib.util.spec_from_file_location("docs_build", os.path.join(REPO_ROOT, "docs", "build.py"))
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)

INIT_CFG = '''breadcrumbs = true
collection_url = {
  * = "https://galaxy.ansible.com/ui/repo/published/{namespace}/{name}/"
}
collection_install = {
  * = "ansible-galaxy collection install {namespace}.{name}"
}
'''


def test_every_guide_goes_into_the_site_in_the_readme_order(tmp_path):
    rst = tmp_path / "rst"
    rst.mkdir()
    (rst / "index.rst").write_text("Title\n=====\n\n.. toctree::\n   :caption: Collections:\n\n   collections/index\n")
    names = build.add_guides(str(rst))
    on_disk = sorted(name[:-3] for name in os.listdir(os.path.join(REPO_ROOT, "docs"))
                     if name.endswith(".md") and name != "README.md")
    assert sorted(names) == on_disk
    assert names[0] == "getting-started"
    for name in names:
        assert (rst / "guides" / (name + ".md")).read_text() == open(os.path.join(REPO_ROOT, "docs", name + ".md")).read()
        assert "   %s\n" % name in (rst / "guides" / "index.rst").read_text()
    assert (rst / "guides" / "images" / "calls-vs-lag.svg").is_file()
    index = (rst / "index.rst").read_text()
    assert index.index("guides/index") < index.index("collections/index")


def test_install_command_builds_the_collection_instead_of_asking_galaxy(tmp_path):
    cfg = tmp_path / "antsibull-docs.cfg"
    cfg.write_text(INIT_CFG)
    build.set_install_command(str(cfg))
    text = cfg.read_text()
    assert "ansible-galaxy collection install {namespace}.{name}" not in text
    with open(os.path.join(REPO_ROOT, "galaxy.yml")) as handle:
        version = re.search(r"^version: (\S+)$", handle.read(), re.M).group(1)
    assert "ansible-galaxy collection install dist/{namespace}-{name}-%s.tar.gz" % version in text
    assert "https://galaxy.ansible.com/ui/repo/published/{namespace}/{name}/" in text
    # antsibull-docs can still read it.
    check = ("from antsibull_docs.schemas.app_context import DocsAppContext; import perky, sys; "
             "config = perky.loads(open(sys.argv[1]).read()); print(config['collection_install']['*'])")
    out = subprocess.run([sys.executable, "-c", check, str(cfg)], capture_output=True, text=True, check=True).stdout
    assert out.strip().startswith("ansible-galaxy collection build --output-path dist . && ")


PROGRESS_LINE = "[builder1] ecs_task_wait: 2/5 succeeded, 3 pending (Processing), slowest at 40%, ETA 3m20s [1m10s elapsed]"


def _words(text):
    """Text with its white space folded: ansible-doc wraps lines, HTML breaks them anywhere."""
    return re.sub(r"\s+", " ", text)


def _tool_env():
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def _run(argv, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, env=_tool_env(),
                          check=False, **kwargs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_ansible_doc_shows_the_progress_line_whole_and_no_internal_option():
    shown = _run([os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "alicloud.ecs.ecs_task_wait"])
    # Before: C(...) ended at "(Processing)", which came out as "(Processing', slowest at 40%...".
    assert PROGRESS_LINE in _words(shown), shown[:3000]
    assert not re.search(r"(?<!\w)_job\b", shown)  # the action plugin's internal option is not documented


def test_the_html_site_shows_the_progress_line_whole_and_no_internal_option(tmp_path):
    """The module page as docs/build.py makes it: antsibull-docs to RST, Sphinx with antsibull's extension to HTML."""
    rst = tmp_path / "rst"
    rst.mkdir()
    bin_dir = os.path.dirname(sys.executable)
    _run([os.path.join(bin_dir, "antsibull-docs"), "plugin", "--plugin-type", "module", "--dest-dir", str(rst),
          "--no-add-antsibull-docs-version", "alicloud.ecs.ecs_task_wait"])
    page = "alicloud.ecs.ecs_task_wait_module"
    (rst / "conf.py").write_text('extensions = ["sphinx_antsibull_ext"]\nmaster_doc = %r\nsuppress_warnings = ["ref.ref"]\n'
                                 % page)
    _run([os.path.join(bin_dir, "sphinx-build"), "-b", "html", "-q", str(rst), str(tmp_path / "html")])
    with open(str(tmp_path / "html" / (page + ".html")), encoding="utf-8") as handle:
        text = _words(html.unescape(re.sub(r"<[^>]+>", " ", handle.read())))
    assert _words(PROGRESS_LINE.replace("(", "( ").replace(")", " )")) in text.replace("(", "( ").replace(")", " )"), text[:3000]
    assert not re.search(r"(?<!\w)_job\b", text)


def _markup_arguments(text):
    """The arguments of C(), I(), B(), M(), U() as ansible-doc and antsibull-docs read them: up to the first ')'."""
    return re.findall(r"\b[CIBMU]\(([^)]+)\)", text)


@pytest.mark.parametrize("name", ["ecs_task_wait", "ecs_task_info"])
def test_no_markup_is_cut_short_by_a_parenthesis(name):
    """C(a (b) c) ends at the first ')': write such text plain, or without the parentheses."""
    module = importlib.import_module("ansible_collections.alicloud.ecs.plugins.modules.%s" % name)
    from ansible_collections.alicloud.ecs.plugins.doc_fragments.common import ModuleDocFragment
    for source in (module.DOCUMENTATION, ModuleDocFragment.DOCUMENTATION, module.RETURN):
        cut = [argument for argument in _markup_arguments(source) if "(" in argument]
        assert not cut, cut
