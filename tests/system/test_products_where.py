# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The product waits (ecs_task_wait ``wait_for: product``, ecs_image_wait) where users run them: on a real SSH
target, with its keys and its OSS endpoint; under ``async``; delegated to the controller. What a target cannot
assert: the lines (they come from the target and name what is awaited) and the emulator's statistics (who signed
each ECS call and OSS HEAD; DescribeImages 100 images a call per region; one HEAD per object until present).

The site is tests/system/ssh_site.py's, for users of this module's own (``ecsprodbuilder``): the target's
~/.ssh/environment names the emulator as its ECS and OSS endpoints; the controller has no keys and no OSS
endpoint unless a test gives them.
"""

from __future__ import annotations

from tests.system.ssh_site import progress_lines, site_fixtures

REGIONS = ("cn-beijing", "eu-central-1")


site, fresh = site_fixtures("ecsprodbuilder", "ecsprodother")


PRODUCT_PLAY = """
- name: Products
  hosts: builder1
  gather_facts: false
  tasks:
    - name: Wait for the export's objects
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ exports }}"
        wait_for: product
        poll_interval: 0.5s
        display_interval: 1s
        timeout: 60s
%(extra)s
    - name: Wait for the import's image
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ imports }}"
        wait_for: product
        poll_interval: 0.5s
        display_interval: 1s
        timeout: 60s
%(extra)s
"""


def _products(emulator, object_lag=8, usable_lag=16):
    """An export of two disks whose objects come ``object_lag`` s after it ends, an import whose image is usable
    ``usable_lag`` s after it ends; both end 4 s from now. The play waits for the export first, then the import
    (ansible over SSH takes a few seconds), so each wait sees its product lag."""
    exports = emulator.create_tasks(action="ExportImage", duration=4, product={"object_after": object_lag},
                                    related_items={"OSSBucket": "where-bucket"},
                                    operations=[{"OSSObject": "{task_id}_system.raw"}, {"OSSObject": "{task_id}_data1.raw"}])
    imports = emulator.create_tasks(action="ImportImage", duration=4, product={"usable_after": usable_lag})
    return imports, exports


def _heads(emulator):
    """(HEADs sent, of which answered 404 NoSuchKey): every object is HEADed until present, then never again."""
    stats = emulator.stats()
    return stats["calls"].get("HeadObject", 0), stats["errors"].get("NoSuchKey", 0)


def _check_products(run, imports, exports):
    imported, exported = run.result("Wait for the import's image"), run.result("Wait for the export's objects")
    assert imported["succeeded"] == imports and exported["succeeded"] == exports, run
    image = imported["tasks"][0]["products"]
    assert [(p["kind"], p["status"], p["ready"], p["details"]["usable"]) for p in image] == [("image", "Available", True, True)]
    objects = exported["tasks"][0]["products"]
    assert [p["id"] for p in objects] == ["oss://where-bucket/%s_%s.raw" % (exports[0], disk) for disk in ("system", "data1")]
    assert all(p["status"] == "present" and p["details"]["ContentLength"] > 0 for p in objects), objects


def test_a_product_wait_on_the_ssh_host_signs_ecs_and_oss_with_its_keys_and_names_what_it_awaits(fresh):
    imports, exports = _products(fresh.emulator)
    # No oss_endpoint in the play: the target's own ALIBABA_CLOUD_OSS_ENDPOINT (the controller has none).
    run = fresh.play(PRODUCT_PLAY % {"extra": ""}, {"imports": imports, "exports": exports})
    assert run.rc == 0, run
    _check_products(run, imports, exports)
    # Every ECS call and every OSS HEAD signed with builder1's keys: the wait ran there.
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    sent, absent = _heads(fresh.emulator)
    assert sent - absent == 2 and absent >= 2, (sent, absent)
    lines = progress_lines(run, "builder1")
    # The lines come from builder1 and, once a task ended, name what it waits for.
    assert any("(ImportImage) image Available, not usable yet" in line for line in lines), run.stdout
    assert any("(ExportImage) OSS object absent" in line for line in lines), run.stdout
    assert [line for line in lines if "done: 1/1 succeeded" in line] and lines[-1].startswith(
        "[builder1] ecs_task_wait: done: 1/1 succeeded"), run.stdout


def test_a_product_wait_delegated_to_the_controller_uses_the_controllers_keys_and_endpoint(fresh):
    imports, exports = _products(fresh.emulator)
    run = fresh.play(PRODUCT_PLAY % {"extra": "      delegate_to: localhost"}, {"imports": imports, "exports": exports},
                     controller_keys=True, env={"ALIBABA_CLOUD_OSS_ENDPOINT": fresh.emulator.url})
    assert run.rc == 0, run
    _check_products(run, imports, exports)
    assert fresh.keys_seen().keys() == {"testid"}, fresh.keys_seen()
    # The lines carry the inventory host's name on the controller too.
    assert any("(ExportImage) OSS object absent" in line for line in progress_lines(run, "builder1")), run.stdout


def test_a_failed_image_fails_its_task_at_once_on_the_ssh_host_naming_it(fresh):
    imports = fresh.emulator.create_tasks(action="ImportImage", duration=4, product={"outcome": "CreateFailed"})
    # The play's second task alone.
    play = PRODUCT_PLAY[:PRODUCT_PLAY.index("    - name: Wait for the export")] + \
        PRODUCT_PLAY[PRODUCT_PLAY.index("    - name: Wait for the import"):]
    run = fresh.play(play % {"extra": "      ignore_errors: true"}, {"imports": imports})
    assert run.rc == 0, run
    result = run.result("Wait for the import's image")
    assert result["wait_status"] == "failed" and result["failed_task_ids"] == imports, result
    assert "but its image" in result["msg"] and "'CreateFailed'" in result["msg"]
    closing = progress_lines(run, "builder1")[-1]
    assert closing.startswith("[builder1] ecs_task_wait: failed: 0/1 succeeded, 1 failed (first: %s image in state "
                              "'CreateFailed')" % imports[0]), run.stdout


IMAGE_PLAY = """
- name: Images
  hosts: builder1
  gather_facts: false
  tasks:
    - name: Wait for the copies
      alicloud.ecs.ecs_image_wait:
        image_ids: "{{ local }}"
        images: "{{ copies }}"
        poll_interval: 0.5s
        display_interval: 1s
        timeout: "{{ timeout }}"
      ignore_errors: true
"""


def _copies(emulator, per_region, status="Creating", duration=3):
    """``per_region`` images being made (for ``duration`` s) in each of REGIONS, as {region, image_id}."""
    spec = {"status": status, "duration": duration} if status == "Creating" else {"status": status}
    return [{"region": region, "image_id": image_id} for region in REGIONS
            for image_id in emulator.create_images(region=region, count=per_region, **spec)]


def test_images_in_several_regions_on_the_ssh_host_take_one_call_per_100_per_region_per_round(fresh):
    # In each copy region 100 images still being made at the timeout and 50 ready at once; one such in the play's.
    making = _copies(fresh.emulator, 100, duration=600)
    ready = _copies(fresh.emulator, 50, status="Available")
    local = fresh.emulator.create_images(status="Creating", duration=600)
    run = fresh.play(IMAGE_PLAY, {"local": local, "copies": making + ready, "timeout": "4s"})
    assert run.rc == 0, run
    result = run.result("Wait for the copies")
    assert result["wait_status"] == "timed_out" and len(result["succeeded"]) == 100 and len(result["pending"]) == 201
    assert sorted(result["succeeded"]) == sorted(copy["image_id"] for copy in ready)
    assert {result["images_by_id"][copy["image_id"]]["region"] for copy in making} == set(REGIONS)
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    by_region = fresh.emulator.stats()["calls_by_region"]["DescribeImages"]
    # Round 1 reads 150 ids in each copy region (two calls), later rounds only the 100 not ready (one call); the
    # play's region one call a round: so each copy region makes one call more than the rounds.
    rounds = by_region["cn-hangzhou"]
    assert rounds >= 3 and by_region == {"cn-hangzhou": rounds, "cn-beijing": rounds + 1, "eu-central-1": rounds + 1}, by_region
    lines = progress_lines(run, "builder1", "ecs_image_wait")
    assert any(line.startswith("[builder1] ecs_image_wait: 100/301 succeeded, 201 pending (Creating)")
               for line in lines), run.stdout
    assert lines[-1].startswith("[builder1] ecs_image_wait: timed out: 100/301 succeeded, 201 pending"), run.stdout


def test_the_copies_become_ready_on_the_ssh_host(fresh):
    copies = _copies(fresh.emulator, 3, duration=12)
    run = fresh.play(IMAGE_PLAY, {"local": [], "copies": copies, "timeout": "60s"})
    assert run.rc == 0, run
    result = run.result("Wait for the copies")
    assert result["wait_status"] == "succeeded" and len(result["succeeded"]) == 6, result
    assert all(record["status"] == "Available" and record["usable"] for record in result["images"]), result
    lines = progress_lines(run, "builder1", "ecs_image_wait")
    assert any(line.startswith("[builder1] ecs_image_wait: 0/6 succeeded, 6 pending (Creating)") for line in lines), run.stdout
    assert lines[-1].startswith("[builder1] ecs_image_wait: done: 6/6 succeeded"), run.stdout


ASYNC_PLAY = """
- name: In the background
  hosts: builder1
  gather_facts: false
  tasks:
    - name: Start the image wait
      alicloud.ecs.ecs_image_wait:
        images: "{{ copies }}"
        poll_interval: 0.5s
        timeout: 60s
      async: 120
      poll: 0
      register: images_job

    - name: Start the product wait
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ exports }}"
        wait_for: product
        poll_interval: 0.5s
        timeout: 60s
      async: 120
      poll: 0
      register: products_job

    - name: Collect the image wait
      ansible.builtin.async_status:
        jid: "{{ images_job.ansible_job_id }}"
      register: images_done
      until: images_done.finished
      retries: 90
      delay: 1

    - name: Collect the product wait
      ansible.builtin.async_status:
        jid: "{{ products_job.ansible_job_id }}"
      register: products_done
      until: products_done.finished
      retries: 90
      delay: 1
"""


def test_product_waits_under_async_on_the_ssh_host(fresh):
    copies = _copies(fresh.emulator, 3)
    _imports, exports = _products(fresh.emulator, object_lag=3, usable_lag=3)
    run = fresh.play(ASYNC_PLAY, {"copies": copies, "exports": exports})
    assert run.rc == 0, run
    images, products = run.result("Collect the image wait"), run.result("Collect the product wait")
    assert images["finished"] and images["wait_status"] == "succeeded" and len(images["succeeded"]) == 6, images
    assert products["finished"] and products["succeeded"] == exports, products
    assert [p["status"] for p in products["tasks"][0]["products"]] == ["present", "present"], products
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    # A plain module under async: no progress lines.
    assert not progress_lines(run, "builder1") and not progress_lines(run, "builder1", "ecs_image_wait"), run.stdout
    sent, absent = _heads(fresh.emulator)
    assert sent - absent == 2, (sent, absent)
