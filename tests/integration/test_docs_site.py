# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/build.py puts every guide of docs/ into the HTML site and an install command that works today.

The full build (antsibull-docs, sphinx -W) is the `docs` stage of scripts/test.py; this checks the
steps of it that are ours, on a scratch site.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from tests.integration.ansible_run import REPO_ROOT

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
    assert "ansible-galaxy collection install dist/{namespace}-{name}-0.1.0.tar.gz" in text
    assert "https://galaxy.ansible.com/ui/repo/published/{namespace}/{name}/" in text
    # antsibull-docs can still read it.
    check = ("from antsibull_docs.schemas.app_context import DocsAppContext; import perky, sys; "
             "config = perky.loads(open(sys.argv[1]).read()); print(config['collection_install']['*'])")
    out = subprocess.run([sys.executable, "-c", check, str(cfg)], capture_output=True, text=True, check=True).stdout
    assert out.strip().startswith("ansible-galaxy collection build --output-path dist . && ")
