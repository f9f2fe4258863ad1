# -*- coding: utf-8 -*-
"""Build the HTML reference of the collection's modules and roles with antsibull-docs and Sphinx.

    python3 docs/build.py            # -> .build/docsite/build/html/index.html
    python3 docs/build.py --lint     # only `antsibull-docs lint-collection-docs --plugin-docs .`

Uses the tools of .venv (created by scripts/_env.py as for the tests). The
Sphinx theme antsibull-docs asks for (sphinx-ansible-theme) and the Markdown
reader (myst-parser) are installed into .venv from the package index the first
time, if they are missing. The site holds the reference that comes from the
modules' own DOCUMENTATION and the roles' argument specs, and the guides of
docs/*.md (rendered as they are, in the order docs/README.md lists them).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import _env  # noqa: E402  (the shared venv and collection-tree helpers)

COLLECTION = "alicloud.ecs"
DOCSITE = os.path.join(_env.BUILD, "docsite")
THEME_MODULE = "sphinx_ansible_theme"
MARKDOWN_PACKAGE, MARKDOWN_MODULE = "myst-parser>=4,<6", "myst_parser"
DOCS = os.path.join(ROOT, "docs")
# This machine (and CI) cannot reach docs.python.org or docs.ansible.com: no
# intersphinx inventories, so links into the Ansible docsite stay plain text
# instead of failing the -W build. Links inside the collection are checked by
# the lint step.
OFFLINE_CONF = """
# Added by docs/build.py: built offline.
intersphinx_mapping = {}
suppress_warnings = ["ref.ref"]
# The guides are Markdown. Their links to files outside docs/ (examples/, the README) are
# plain links on the site; heading levels follow GitHub's reading of the files.
extensions.append("myst_parser")
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_heading_anchors = 3
suppress_warnings += ["myst.xref_missing", "myst.header"]
"""
# What the site says to install with: the collection is not on Galaxy; a build of this checkout works today.
INSTALL_COMMAND = ("ansible-galaxy collection build --output-path dist . && "
                   "ansible-galaxy collection install dist/{namespace}-{name}-%s.tar.gz")


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


def _importable(module, env):
    return subprocess.call([_env.python(), "-c", "import %s" % module], stdin=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env) == 0


def ensure_theme(requirements, env):
    if not _importable(THEME_MODULE, env):
        _env.say("==> installing the docsite requirements into .venv (%s)" % os.path.relpath(requirements, ROOT))
        _env.run_logged([_env.python(), "-m", "pip", "install", "--disable-pip-version-check", "-r", requirements],
                        "pip-docsite", "pip install -r %s" % os.path.relpath(requirements, ROOT))
    if not _importable(MARKDOWN_MODULE, env):
        _env.say("==> installing %s into .venv (the guides are Markdown)" % MARKDOWN_PACKAGE)
        _env.run_logged([_env.python(), "-m", "pip", "install", "--disable-pip-version-check", MARKDOWN_PACKAGE],
                        "pip-docsite", "pip install %s" % MARKDOWN_PACKAGE)


def guide_names():
    """The guides (docs/*.md but README.md), in the order docs/README.md lists them, then the rest."""
    with open(os.path.join(DOCS, "README.md"), encoding="utf-8") as handle:
        listed = re.findall(r"\]\(([\w-]+)\.md\)", handle.read())
    present = sorted(name[:-3] for name in os.listdir(DOCS) if name.endswith(".md") and name != "README.md")
    return [name for name in listed if name in present] + [name for name in present if name not in listed]


def add_guides(rst):
    """docs/*.md (and docs/images) into rst/guides/, listed on the site's front page."""
    guides = os.path.join(rst, "guides")
    os.makedirs(guides, exist_ok=True)
    names = guide_names()
    for name in names:
        shutil.copy(os.path.join(DOCS, name + ".md"), os.path.join(guides, name + ".md"))
    if os.path.isdir(os.path.join(DOCS, "images")):
        shutil.copytree(os.path.join(DOCS, "images"), os.path.join(guides, "images"), dirs_exist_ok=True)
    with open(os.path.join(guides, "index.rst"), "w", encoding="utf-8") as handle:
        handle.write("Guides\n======\n\n.. toctree::\n   :maxdepth: 1\n\n%s"
                     % "".join("   %s\n" % name for name in names))
    index = os.path.join(rst, "index.rst")
    with open(index, encoding="utf-8") as handle:
        text = handle.read()
    toctree = ".. toctree::\n   :maxdepth: 2\n   :caption: Guides:\n\n   guides/index\n\n\n"
    marker = ".. toctree::"
    text = text.replace(marker, toctree + marker, 1) if marker in text else text + "\n" + toctree
    with open(index, "w", encoding="utf-8") as handle:
        handle.write(text)
    return names


def set_install_command(config_path):
    """The install command the reference pages show: one that works without Galaxy."""
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        version = re.search(r"^version:\s*['\"]?([\w.+-]+)", handle.read(), re.M).group(1)
    with open(config_path, encoding="utf-8") as handle:
        text = handle.read()
    command = INSTALL_COMMAND % version
    text, count = re.subn(r"collection_install = \{.*?\n\}", lambda _m: 'collection_install = {\n  * = "%s"\n}' % command,
                          text, flags=re.S)
    if not count:
        text += '\ncollection_install = {\n  * = "%s"\n}\n' % command
    with open(config_path, "w", encoding="utf-8") as handle:
        handle.write(text)


def build(env):
    """sphinx-init a docsite in .build/docsite, render the collection into rst/, then sphinx-build HTML."""
    shutil.rmtree(DOCSITE, ignore_errors=True)
    os.makedirs(DOCSITE)
    _env.run([_env.bin_path("antsibull-docs"), "sphinx-init", "--use-current", "--dest-dir", DOCSITE, COLLECTION],
             env=env, stdout=subprocess.DEVNULL)
    ensure_theme(os.path.join(DOCSITE, "requirements.txt"), env)
    with open(os.path.join(DOCSITE, "conf.py"), "a", encoding="utf-8") as conf:
        conf.write(OFFLINE_CONF)
    set_install_command(os.path.join(DOCSITE, "antsibull-docs.cfg"))
    rst = os.path.join(DOCSITE, "rst")
    os.makedirs(rst, exist_ok=True)
    os.chmod(rst, 0o755)  # antsibull-docs refuses a destination others may write to
    _env.say("==> antsibull-docs collection --use-current %s" % COLLECTION)
    _env.run([_env.bin_path("antsibull-docs"), "--config-file", "antsibull-docs.cfg", "collection", "--cleanup", "everything",
              "--use-current", "--dest-dir", "rst", COLLECTION], cwd=DOCSITE, env=env)
    _env.say("==> guides: %s" % ", ".join(add_guides(rst)))
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
