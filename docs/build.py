# -*- coding: utf-8 -*-
"""Build the HTML reference of the collection's modules and roles with antsibull-docs and Sphinx.

    python3 docs/build.py            # -> .build/docsite/build/html/index.html
    python3 docs/build.py --lint     # only `antsibull-docs lint-collection-docs --plugin-docs .`

Uses the tools of .venv (created by scripts/_env.py as for the tests). The
Sphinx theme antsibull-docs asks for (sphinx-ansible-theme) is installed into
.venv from the package index the first time, if it is missing. The guides in
docs/*.md are plain Markdown, read as they are; this builds the reference
that comes from the modules' own DOCUMENTATION and the roles' argument specs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import _env  # noqa: E402  (the shared venv and collection-tree helpers)

COLLECTION = "alicloud.ecs"
DOCSITE = os.path.join(_env.BUILD, "docsite")
THEME_MODULE = "sphinx_ansible_theme"
# This machine (and CI) cannot reach docs.python.org or docs.ansible.com: no
# intersphinx inventories, so links into the Ansible docsite stay plain text
# instead of failing the -W build. Links inside the collection are checked by
# the lint step.
OFFLINE_CONF = """
# Added by docs/build.py: built offline.
intersphinx_mapping = {}
suppress_warnings = ["ref.ref"]
"""


def collections_root():
    """A real ansible_collections/alicloud/ecs tree of the tracked files; returns the folder above it."""
    tree = _env.build_ansible_test_tree()
    return os.path.dirname(os.path.dirname(os.path.dirname(tree)))


def tool_env():
    return _env.venv_env(ANSIBLE_COLLECTIONS_PATH=collections_root(), ANSIBLE_NOCOLOR="1")


def lint(env):
    """antsibull-docs lint-collection-docs, from inside the collection tree."""
    tree = _env.ANSIBLE_TEST_TREE
    _env.say("==> antsibull-docs lint-collection-docs --plugin-docs . (in %s)" % os.path.relpath(tree, ROOT))
    return _env.run([_env.bin_path("antsibull-docs"), "lint-collection-docs", "--plugin-docs", "."], cwd=tree, env=env,
                    check=False)


def ensure_theme(requirements):
    has_theme = subprocess.call([_env.python(), "-c", "import %s" % THEME_MODULE], stdin=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) == 0
    if not has_theme:
        _env.say("==> installing the docsite requirements into .venv (%s)" % os.path.relpath(requirements, ROOT))
        _env.run([_env.python(), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", requirements])


def build(env):
    """sphinx-init a docsite in .build/docsite, render the collection into rst/, then sphinx-build HTML."""
    shutil.rmtree(DOCSITE, ignore_errors=True)
    os.makedirs(DOCSITE)
    _env.run([_env.bin_path("antsibull-docs"), "sphinx-init", "--use-current", "--dest-dir", DOCSITE, COLLECTION],
             env=env, stdout=subprocess.DEVNULL)
    ensure_theme(os.path.join(DOCSITE, "requirements.txt"))
    with open(os.path.join(DOCSITE, "conf.py"), "a", encoding="utf-8") as conf:
        conf.write(OFFLINE_CONF)
    rst = os.path.join(DOCSITE, "rst")
    os.makedirs(rst, exist_ok=True)
    os.chmod(rst, 0o755)  # antsibull-docs refuses a destination others may write to
    _env.say("==> antsibull-docs collection --use-current %s" % COLLECTION)
    _env.run([_env.bin_path("antsibull-docs"), "--config-file", "antsibull-docs.cfg", "collection", "--cleanup", "everything",
              "--use-current", "--dest-dir", "rst", COLLECTION], cwd=DOCSITE, env=env)
    _env.say("==> sphinx-build -M html")
    _env.run([_env.bin_path("sphinx-build"), "-M", "html", "rst", "build", "-c", ".", "-W", "--keep-going", "-q"],
             cwd=DOCSITE, env=env)
    index = os.path.join(DOCSITE, "build", "html", "index.html")
    _env.say("==> done: %s" % os.path.relpath(index, ROOT))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lint", action="store_true", help="only lint the collection's documentation")
    args = parser.parse_args(argv)
    _env.ensure_venv()
    env = tool_env()
    rc = lint(env)
    if rc != 0 or args.lint:
        if rc != 0:
            _env.say("==> documentation lint failed (rc=%d)" % rc)
        return rc
    return build(env)


if __name__ == "__main__":
    sys.exit(main())
