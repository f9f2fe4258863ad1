# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The connection and credential options every module of the collection takes.
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The Alibaba Cloud region the tasks live in, for example V(cn-hangzhou).
      - When not given, the first non-empty environment variable of E(ALIBABA_CLOUD_REGION_ID),
        E(ALICLOUD_REGION), E(ALICLOUD_REGION_ID) is used.
      - Required in one of these forms.
    type: str
    aliases: [region_id, alicloud_region]
  access_key:
    description:
      - The AccessKey ID. Give it together with O(secret_key).
      - When not given, the credential chain is searched in this order, the first source found wins
        (see the credentials guide in C(docs/credentials.md)).
        Environment E(ALIBABA_CLOUD_ACCESS_KEY_ID) (or E(ALICLOUD_ACCESS_KEY), E(ALICLOUD_ACCESS_KEY_ID));
        OIDC role federation (RRSA on Kubernetes), E(ALIBABA_CLOUD_ROLE_ARN), E(ALIBABA_CLOUD_OIDC_PROVIDER_ARN) and
        E(ALIBABA_CLOUD_OIDC_TOKEN_FILE);
        the Alibaba Cloud CLI profile file C(~/.aliyun/config.json);
        the credentials file C(~/.alibabacloud/credentials.ini);
        the RAM role of the ECS instance, from the instance metadata service;
        a credentials server named by E(ALIBABA_CLOUD_CREDENTIALS_URI).
    type: str
    aliases: [access_key_id, alicloud_access_key]
  secret_key:
    description:
      - The AccessKey secret. Give it together with O(access_key).
      - When not given, E(ALIBABA_CLOUD_ACCESS_KEY_SECRET) (or E(ALICLOUD_SECRET_KEY),
        E(ALICLOUD_SECRET_ACCESS_KEY)) or the rest of the credential chain.
      - Never shown in any output or log.
    type: str
    aliases: [access_key_secret, alicloud_secret_key]
  security_token:
    description:
      - The STS security token that goes with temporary O(access_key) / O(secret_key).
      - When not given, E(ALIBABA_CLOUD_SECURITY_TOKEN) or E(ALICLOUD_SECURITY_TOKEN).
      - Never shown in any output or log.
    type: str
    aliases: [alicloud_security_token]
  profile:
    description:
      - The profile to read from the CLI profile file C(~/.aliyun/config.json)
        (modes V(AK), V(StsToken), V(RamRoleArn), V(EcsRamRole)) or, failing that,
        the section of the credentials file.
      - When not given, E(ALIBABA_CLOUD_PROFILE) or E(ALICLOUD_PROFILE), else the file's current profile.
      - Given as a module option it is more specific than credentials in the environment, and is used first.
    type: str
  shared_credentials_file:
    description:
      - Path of the credentials file in INI form. Defaults to E(ALIBABA_CLOUD_CREDENTIALS_FILE),
        else C(~/.alibabacloud/credentials.ini).
    type: path
  ecs_role_name:
    description:
      - The RAM role attached to the ECS instance this runs on; its temporary credentials come
        from the instance metadata service (IMDSv2 first).
      - When not given, E(ALICLOUD_ECS_ROLE_NAME) or E(ALIBABA_CLOUD_ECS_METADATA); the role is
        discovered from the metadata service when no other source is found.
    type: str
  endpoint:
    description:
      - Full URL of the ECS API endpoint, for example V(http://127.0.0.1:8080) for the bundled
        emulator. Defaults to E(ALIBABA_CLOUD_ECS_ENDPOINT), else the region's public endpoint
        (V(https://ecs-cn-hangzhou.aliyuncs.com), V(https://ecs.ap-southeast-1.aliyuncs.com), ...).
      - The scheme is required (V(127.0.0.1:8080) is refused with a message showing V(http://127.0.0.1:8080));
        a user name or password in the URL is refused. Redirects are never followed.
    type: str
  oss_endpoint:
    description:
      - Where OSS objects are read (C(HeadObject), signed with the same credentials), as C(scheme://host[:port]).
        M(alicloud.ecs.ecs_task_wait) reads exported objects there with O(alicloud.ecs.ecs_task_wait#module:wait_for=product),
        M(alicloud.ecs.ecs_image_export) the objects of its exports. The other modules read no OSS object and ignore
        it; every module takes it so that C(module_defaults) of the action group can set it once.
      - Defaults to E(ALIBABA_CLOUD_OSS_ENDPOINT), else V(https://oss-<region>.aliyuncs.com) with the bucket as a
        virtual host; an IP address or V(localhost) endpoint is used path style (V(<endpoint>/<bucket>/<key>)), as
        Alibaba's OSS SDKs do.
    type: str
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate. Only turn it off for a private test endpoint.
      - When true, a CA bundle named by E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is used (it must exist);
        when false, neither variable turns the check back on. Proxies come from E(HTTPS_PROXY),
        E(HTTP_PROXY), E(ALL_PROXY) and E(NO_PROXY).
    type: bool
    default: true
  signature_version:
    description:
      - How requests are signed. V(v1) is HMAC-SHA1 in the query string, V(v3) is ACS3-HMAC-SHA256 in headers.
    type: str
    choices: [v1, v3]
    default: v1
  request_timeout:
    description:
      - Seconds to wait for one API answer (the read timeout). The whole answer must arrive within
        the connection time plus this, however slowly the server sends; answers over 10 MiB are refused.
        Calls that fail for a passing reason (throttling, 5xx, reset connections) are retried with
        jittered exponential backoff.
    type: float
    default: 20.0
requirements:
  - python >= 3.9
  - requests
notes:
  - Set the connection options once for every module of the collection with
    C(module_defaults) and the action group C(group/alicloud.ecs.ecs).
"""
