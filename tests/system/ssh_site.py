# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An emulator and a real SSH target on loopback for playbook tests of where the modules run (test_wait_where.py,
test_products_where.py, test_start_playbooks.py, test_start_copy_disk_playbooks.py).

The target is sshd for a local builder user, whose HOME holds credentials (builderid) and whose
~/.ssh/environment names the emulator (ECS and OSS endpoints); a second user holds otherid. Each test module
names its own two users (``site_fixtures``). The controller user has no credentials unless a play is given
``testid``. The emulator's ``access_keys`` statistics say which identity made every call, OSS requests included.
"""

from __future__ import annotations

import contextlib

import pytest

from tests.emulator.harness import Emulator
from tests.system import sshtarget
from tests.system.ansible_run import Ansible

BUILDER = ("builderid", "buildersecret")
OTHER = ("otherid", "othersecret")
NO_CONTROLLER_KEYS = {"ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None,
                      # Async jobs live in the remote user's own ~/.ansible_async.
                      "ANSIBLE_ASYNC_DIR": None}


class Site(object):
    def __init__(self, emulator, target, inventory, builder, other):
        self.emulator = emulator
        self.target = target
        self.inventory = inventory
        self.builder = builder
        self.other = other

    def ansible(self):
        return Ansible(self.emulator)

    def play(self, text, extra_vars=None, controller_keys=False, env=None, check=False):
        run_env = {} if controller_keys else dict(NO_CONTROLLER_KEYS)
        run_env.update(env or {})
        return self.ansible().playbook(text, extra_vars=extra_vars, env=run_env, check=check,
                                       args=("-i", self.inventory))

    def keys_seen(self):
        return self.emulator.stats()["access_keys"]


@contextlib.contextmanager
def ssh_site(builder_user, other_user):
    """The emulator and builder1 (in group build_hosts) for a module's tests; skips where sshd cannot run.

    Each test module may name users of its own: their HOME (credentials, authorized key, environment) is
    rewritten here, so two modules run at once on one machine must not share them."""
    try:
        sshtarget.ensure_packages()
    except sshtarget.Unavailable as reason:
        pytest.skip(str(reason))
    builder = sshtarget.ensure_user(builder_user)
    other = sshtarget.ensure_user(other_user)
    sshtarget.give_credentials(builder, *BUILDER)
    sshtarget.give_credentials(other, *OTHER)
    keys = ["testid:testsecret", "%s:%s" % BUILDER, "%s:%s" % OTHER]
    with Emulator(access_keys=keys) as emulator:
        target = sshtarget.SshTarget(builder, {
            "ALIBABA_CLOUD_ECS_ENDPOINT": emulator.url, "ALIBABA_CLOUD_OSS_ENDPOINT": emulator.url,
            "ALIBABA_CLOUD_REGION_ID": "cn-hangzhou", "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"})
        target.start()
        try:
            yield Site(emulator, target, target.inventory("builder1", groups=["build_hosts"]), builder, other)
        finally:
            target.stop()


def site_fixtures(builder_user, other_user):
    """The module-scoped ``site`` and per-test ``fresh`` (emulator reset) fixtures for a test module's own users.

    Assign both to module names (``site, fresh = site_fixtures(...)``) so pytest finds them. Test files run
    on two pytest workers at once, so each module names users no other module uses: sharing one, a module's
    authorized key or ~/.ssh/environment is rewritten under another's running plays."""

    @pytest.fixture(scope="module")
    def site():
        with ssh_site(builder_user=builder_user, other_user=other_user) as made:
            yield made

    @pytest.fixture
    def fresh(site):  # pylint: disable=redefined-outer-name
        site.emulator.reset()
        return site

    return site, fresh


def progress_lines(run, host, module="ecs_task_wait"):
    """The lines of ``module``'s progress for ``host`` in a run's output."""
    return [line for line in run.stdout.splitlines() if line.startswith("[%s] %s: " % (host, module))]
