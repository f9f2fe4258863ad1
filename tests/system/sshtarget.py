# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real SSH target on loopback: sshd for a local user whose HOME holds Alibaba Cloud credentials.

CI runs as root on a fresh Debian machine, so what is missing (OpenSSH's
server, the Debian packages of requests and jmespath for the target's
/usr/bin/python3) is installed with apt-get. The controller's interpreter
lives where other users cannot read it, which is why the target uses the
system Python, as a real build host would; ``python39()`` makes a Python 3.9
the target user can run (RHEL 9's), from pyenv's.
"""

from __future__ import annotations

import json
import os
import pwd
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

from tests.standins.machine_lock import machine_lock

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
import _pythons  # noqa: E402  (scripts/ is not a package: the interpreters the test scripts found)

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/bin/sshd")
TARGET_PYTHON = "/usr/bin/python3"
APT_PACKAGES = ("openssh-server", "python3-requests", "python3-jmespath")


class Unavailable(Exception):
    """The machine cannot host the SSH target (not root, no apt-get): the tests say so and skip."""


def _run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)


def _sshd():
    return next((path for path in SSHD_CANDIDATES if os.access(path, os.X_OK)), None)


def _python_ready():
    return os.access(TARGET_PYTHON, os.X_OK) and _run([TARGET_PYTHON, "-c", "import requests, jmespath"]).returncode == 0


def ensure_packages():
    """Install openssh-server and the target Python's libraries when they are missing."""
    if _sshd() and _python_ready():
        return
    with machine_lock():
        _install_packages()


def _install_packages():
    if _sshd() and _python_ready():
        return  # installed by another worker meanwhile
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise Unavailable("the SSH target needs sshd and %s with requests and jmespath; install %s (as root: "
                          "apt-get install -y %s)" % (TARGET_PYTHON, ", ".join(APT_PACKAGES), " ".join(APT_PACKAGES)))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    argv = ["apt-get", "install", "-y", "--no-install-recommends"] + list(APT_PACKAGES)
    done = _run(argv, env=env, timeout=600)
    if done.returncode != 0:
        # A fresh machine has no package lists yet.
        _run(["apt-get", "update"], env=env, timeout=600)
        done = _run(argv, env=env, timeout=600)
    if done.returncode != 0 or not _sshd() or not _python_ready():
        raise RuntimeError("apt-get install %s failed:\n%s\n%s" % (" ".join(APT_PACKAGES), done.stdout[-2000:], done.stderr[-2000:]))


def ensure_user(name):
    """A local user with a home folder; its password is '*' (no password, not locked: sshd without PAM refuses locked ones)."""
    with machine_lock():
        try:
            pwd.getpwnam(name)
        except KeyError:
            made = _run(["useradd", "--create-home", "--shell", "/bin/sh", name])
            if made.returncode != 0 and "already exists" not in made.stderr:
                raise RuntimeError("useradd %s failed: %s" % (name, made.stderr))
        _run(["usermod", "-p", "*", name])
        return pwd.getpwnam(name)


def write_owned(user, path, text, mode=0o600):
    """Write a file in a user's home, folders included, owned by that user."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o700)
    os.chown(folder, user.pw_uid, user.pw_gid)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)
    os.chown(path, user.pw_uid, user.pw_gid)


TARGET_PY39_PACKAGES = ("requests", "jmespath")
# A wrapper, because pyenv's interpreter finds libpython through an absolute RUNPATH under pyenv's
# root (/root/.pyenv here), which the target user cannot enter: the copy's lib/ goes first instead.
_WRAPPER = """#!/bin/sh
# Written by tests/system/sshtarget.py: the Python 3.9 venv of the SSH target tests.
LD_LIBRARY_PATH=%(lib)s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
exec %(python)s "$@"
"""


def _reachable_by_others(path):
    """Every folder from / to ``path`` lets other users through (o+x)."""
    path = os.path.abspath(path)
    while True:
        if not os.stat(path).st_mode & stat.S_IXOTH:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def _cache_folder():
    build = os.path.join(REPO_ROOT, ".build")
    os.makedirs(build, exist_ok=True)
    if _reachable_by_others(build):
        return os.path.join(build, "target-python3.9")
    # A checkout under a private home: somewhere the target user can reach.
    return os.path.join(tempfile.gettempdir(), "alicloud-ecs-target-python3.9")


def python39(user):
    """The path of a Python 3.9 ``user`` can run, with requests and jmespath (from the package index).

    pyenv's 3.9 copied under .build/ (without its tests), a venv of the copy,
    and a wrapper script; made once, then reused while it still runs.
    """
    folder = _cache_folder()
    wrapper = os.path.join(folder, "venv", "bin", "python3.9-target")
    check = [wrapper, "-c", "import sys, requests, jmespath; assert sys.version_info[:2] == (3, 9)"]
    if os.path.exists(wrapper) and _run(["su", "-s", "/bin/sh", user.pw_name, "-c", shlex.join(check)]).returncode == 0:
        return wrapper
    found = _pythons.find_interpreters().get((3, 9))
    if found is None:
        raise Unavailable("no Python 3.9 on this machine (PATH, or pyenv's versions) for the Python 3.9 target")
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(found.path)))
    shutil.rmtree(folder, ignore_errors=True)
    base, venv = os.path.join(folder, "base"), os.path.join(folder, "venv")
    shutil.copytree(prefix, base, symlinks=True,
                    ignore=shutil.ignore_patterns("test", "tests", "__pycache__", "idlelib", "tkinter", "turtledemo",
                                                  "site-packages", "*.a"))
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(base, "lib"))
    python = os.path.join(base, "bin", "python3.9")
    for argv in ([python, "-m", "venv", venv],
                 [os.path.join(venv, "bin", "python3.9"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
                 + list(TARGET_PY39_PACKAGES)):
        done = _run(argv, env=env, timeout=600)
        if done.returncode != 0:
            raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(argv), done.stdout[-2000:], done.stderr[-2000:]))
    with open(wrapper, "w") as handle:
        handle.write(_WRAPPER % {"lib": os.path.join(base, "lib"), "python": os.path.join(venv, "bin", "python3.9")})
    os.chmod(wrapper, 0o755)
    done = _run(["su", "-s", "/bin/sh", user.pw_name, "-c", shlex.join(check)])
    if done.returncode != 0:
        raise RuntimeError("the Python 3.9 target in %s does not run as %s: %s" % (folder, user.pw_name, done.stderr[-2000:]))
    return wrapper


def give_credentials(user, key_id, secret, region="cn-hangzhou"):
    """~/.aliyun/config.json as the Alibaba Cloud CLI writes it."""
    config = {"current": "default", "profiles": [{
        "name": "default", "mode": "AK", "access_key_id": key_id, "access_key_secret": secret, "region_id": region}]}
    write_owned(user, os.path.join(user.pw_dir, ".aliyun", "config.json"), json.dumps(config, indent=2))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SshTarget(object):
    """sshd -D on 127.0.0.1:<free port>, key-only, for one user; stopped by the PID it was started with."""

    def __init__(self, user, environment):
        self.user = user
        self.environment = dict(environment)
        self.folder = tempfile.mkdtemp(prefix="alicloud-ecs-sshd-")
        self.key = os.path.join(self.folder, "id_ed25519")
        self.port = None
        self.proc = None
        self.log = None

    def start(self):
        for path in (self.key, os.path.join(self.folder, "host_key")):
            made = _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path])
            if made.returncode != 0:
                raise RuntimeError("ssh-keygen failed: %s" % made.stderr)
        with open(self.key + ".pub") as handle:
            public = handle.read()
        home = self.user.pw_dir
        write_owned(self.user, os.path.join(home, ".ssh", "authorized_keys"), public)
        # Read by sshd at login (PermitUserEnvironment): the target's own settings, as on a build host.
        write_owned(self.user, os.path.join(home, ".ssh", "environment"),
                    "".join("%s=%s\n" % item for item in sorted(self.environment.items())))
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation folder
        # The port is free when picked but could be taken before sshd binds it on a
        # shared machine: sshd then exits at once, and a fresh port is tried.
        for _attempt in range(3):
            if self._launch(free_port()):
                return self
        raise RuntimeError("sshd exited at once on 3 ports:\n%s" % self.log_text())

    def _launch(self, port):
        """Start sshd on ``port``; True once it listens, False when it exits at once (a port taken)."""
        self.port = port
        config = os.path.join(self.folder, "sshd_config")
        with open(config, "w") as handle:
            handle.write("\n".join([
                "Port %d" % self.port, "ListenAddress 127.0.0.1",
                "HostKey %s" % os.path.join(self.folder, "host_key"),
                "PidFile %s" % os.path.join(self.folder, "sshd.pid"),
                "AuthorizedKeysFile .ssh/authorized_keys",
                "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "UsePAM no", "AllowUsers %s" % self.user.pw_name, "PermitUserEnvironment yes",
                "StrictModes yes", "Subsystem sftp internal-sftp", "LogLevel VERBOSE", "",
            ]))
        if self.log is not None:
            self.log.close()
        self.log = open(os.path.join(self.folder, "sshd.log"), "w")
        self.proc = subprocess.Popen([_sshd(), "-D", "-e", "-f", config], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("sshd did not listen on port %d:\n%s" % (self.port, self.log_text()))

    def log_text(self):
        with open(os.path.join(self.folder, "sshd.log")) as handle:
            return handle.read()

    def inventory(self, name="builder1", extra=None, groups=()):
        """An inventory file with this host (in ``groups`` too); the project's own inventory adds localhost."""
        host = {
            "ansible_host": "127.0.0.1", "ansible_port": self.port, "ansible_user": self.user.pw_name,
            "ansible_ssh_private_key_file": self.key, "ansible_python_interpreter": TARGET_PYTHON,
            "ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null",
        }
        host.update(extra or {})
        path = os.path.join(self.folder, "inventory-%s.yml" % name)
        with open(path, "w") as handle:
            children = dict((group, {"hosts": {name: {}}}) for group in groups)
            json.dump({"all": {"hosts": {name: host}, "children": children}}, handle)  # JSON is YAML
        return path

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.log is not None:
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def processes():
    """(pid, uid, state, process group, command line) of every process in /proc; one gone meanwhile is left out."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            uid = os.stat("/proc/" + entry).st_uid
            with open("/proc/%s/stat" % entry, encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open("/proc/%s/cmdline" % entry, "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        found.append((int(entry), uid, fields[0], int(fields[2]), cmdline))
    return found


def processes_of(user):
    """(pid, command line) of every process running as ``user`` (to check that none of ours is left)."""
    return [(pid, cmdline) for pid, uid, _state, _group, cmdline in processes() if uid == user.pw_uid]


def live_members(pgid):
    """PIDs of the process group that are still running (zombies, which init may never reap here, do not count)."""
    return [pid for pid, _uid, state, group, _cmdline in processes() if group == pgid and state != "Z"]
