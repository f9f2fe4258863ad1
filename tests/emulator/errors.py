# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The errors of the signed API: code, HTTP status and the service's message.

Codes and messages follow the public API reference where it gives them. Where
it does not, the choice is marked "chosen" and kept plausible:
- InvalidParameter (400) for PageSize / PageNumber / TaskIds / ResourceIds.N out of range;
- InvalidStartTime.Malformed / InvalidEndTime.Malformed (400), as other Alibaba APIs answer;
- ContentSha256NotMatched (400) when x-acs-content-sha256 differs from the body;
- MissingSecurityToken / InvalidSecurityToken.MismatchWithAccessKey (400) for STS keys, and the
  latter too for a SecurityToken sent with a permanent key;
- InvalidSecurityToken.Expired (400) for STS keys past their expiry;
- MissingParameter (SignatureVersion) / UnsupportedSignatureVersion (400) for a V1 request without
  SignatureVersion=1.0.
"""

from __future__ import annotations

import uuid

HOST_ID = "ecs.aliyuncs.com"

MESSAGES = {
    "InvalidRegionId.NotFound": (400, "The specified RegionId does not exist."),
    # Start actions and product reads (the API pages of ImportImage, ExportImage, CopyImage, ModifyDiskSpec).
    "InvalidImageId.NotFound": (404, "The specified ImageId does not exist."),
    "InvalidDiskId.NotFound": (404, "The specified disk does not exist."),
    "IncorrectImageStatus": (400, "The specified Image is not available."),
    "ImageIsExporting": (403, "The specified Image is being exported. "
                              "You can use the DescribeTasks API to check the status of existing tasks."),
    "InvalidOSSBucket.NotFound": (400, "The specified OSS bucket does not exist in this region."),
    "InvalidOSSBucket.Malformed": (400, "The specified OSS bucket is wrongly formed."),
    "InvalidOSSObject.NotFound": (400, "The specified OSS object does not exist in this region."),
    "InvalidOSSObject.Size": (400, "The specified OSS object size is zero."),
    "InvalidOSSPrefix.Malformed": (400, "The specified OSSPrefix format is wrongly formed."),
    "InvalidImageFormat.Malformed": (400, "The specified Image Format is wrongly formed."),
    "InvalidImageName.Malformed": (400, "The specified Image name is wrongly formed."),
    "InvalidImageName.Duplicated": (400, "The destination image is exist."),
    "InvalidDescription.Malformed": (400, "The specified Image description is wrongly formed."),
    "InvalidArchitecture.Malformed": (400, "The specified Architecture is wrongly formed."),
    "InvalidOSType.Malformed": (400, "The specified OSType is wrongly formed."),
    "InvalidBootMode.Malformed": (400, 'The specified parameter "BootMode" is malformed.'),
    "InvalidLicenseType.NotSupported": (400, "The specified LicenseType is not supported."),
    "InvalidImageSize": (400, 'The specified "DiskDeviceMapping.n.DiskImageSize" beyond the permitted range.'),
    "InvalidDataDiskSize": (400, "The specified DiskDeviceMapping.N.DiskImSize should be in the specified range."),
    "MissingParameter.DiskDeviceMapping": (403, "The specified parameter DiskDeviceMapping is not supplied."),
    "NoSetRoletoECSServiceAcount": (403, "ECS service account Have no right to access your OSS."
                                         "please attach a role of access your oss to ECS service account."),
    "DestinationRegion.NotFound": (400, "The destination region not found"),
    "InvalidDiskCategory.ValueNotSupported": (400, 'The specified parameter "DiskCategory" is not valid.'),
    "InvalidPerformanceLevel.Malformed": (400, "The specified parameter PerformanceLevel is not valid."),
    "InvalidPerformanceLevelParam.Mismatch": (400, "The specified parameter PerformanceLevel should be null when DiskCategory is not cloud_essd."),
    "InvalidStatus.DiskNotReady": (403, "This specified disk is not ready, status needs to be either In_use or Available."),
    "NoChangeInDiskCategoryAndPerformanceLevel": (403, "There is no change between the parameters transmitted and the current."),
    "DiskInCoolingPeriod": (403, "There is a cooling period after the disk is successfully modified."),
    "InvalidDiskIds.Malformed": (400, 'The specified parameter "DiskIds" is not valid.'),
    "InvalidTaskId.NotFound": (400, 'The specified "TaskId" is not found.'),
    "InvalidTaskId.TaskActionNotSupport": (403, "The specified task action not support."),
    "InvalidTaskId.IncorrectTaskStatus": (403, "The specified task status is invalid."),
    "CancelTaskFailed": (403, "The task is failed to cancel, Please contact the administrator."),
    "IncompleteSignature": (400, "The request signature does not conform to Aliyun standards."),
    "InvalidTimeStamp.Expired": (400, "Specified time stamp or date value is expired."),
    "InvalidTimeStamp.Format": (400, "Specified time stamp or date value is not well formatted."),
    "SignatureNonceUsed": (400, "Specified signature nonce was used already."),
    "InvalidVersion": (400, "Specified parameter Version is not valid."),
    "InvalidSignatureMethod": (400, "Specified signature method is not supported."),
    "InvalidAccessKeyId.NotFound": (404, "Specified access key is not found."),
    "InvalidAction.NotFound": (404, "Specified api is not found, please check your url and method."),
    "InvalidApi.NotFound": (404, "Specified api is not found, please check your url and method."),
    "Throttling.User": (400, "Request was denied due to flow control."),
    "InternalError": (500, "The request processing has failed due to some unknown error, exception or failure."),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
    "InvalidStartTime.Malformed": (400, "Specified StartTime is malformed."),
    "InvalidEndTime.Malformed": (400, "Specified EndTime is malformed."),
    "ContentSha256NotMatched": (400, "The x-acs-content-sha256 header does not match the SHA-256 of the request body."),
    "MissingSecurityToken": (400, "The SecurityToken is mandatory for this AccessKeyId."),
    "InvalidSecurityToken.MismatchWithAccessKey": (400, "Specified SecurityToken mismatch with the AccessKey."),
    "InvalidParameter.Encoding": (400, "The request contains parameters that are not valid UTF-8 or percent-encoding."),
    "UnsupportedHTTPMethod": (400, "Specified http method is not supported."),
    "DryRunOperation": (400, "Request validation has been passed with DryRun flag set."),
    "UnsupportedSignatureVersion": (400, "Specified signature version is not supported."),
    "InvalidSecurityToken.Expired": (400, "Specified SecurityToken is expired."),
    "Forbidden.RAM": (403, "User not authorized to operate on the specified resource, or this API doesn't support RAM."),
}


class ApiError(Exception):
    """An error answer of the signed API."""

    def __init__(self, code, message=None, status=None, extra=None):
        default_status, default_message = MESSAGES.get(code, (400, code))
        super().__init__(code)
        self.code = code
        self.message = default_message if message is None else message
        self.status = default_status if status is None else status
        self.extra = dict(extra or {})  # more fields of the body (AccessDeniedDetail)


def missing_parameter(name):
    return ApiError("MissingParameter", 'An input parameter "%s" that is mandatory for processing the request is not supplied.' % name, 400)


def invalid_parameter(name, why=""):
    message = 'The specified parameter "%s" is not valid.' % name
    if why:
        message += " " + why
    return ApiError("InvalidParameter", message, 400)


def signature_mismatch(string_to_sign):
    # Keep "is:" followed by the string: the old SDK splits the message on ':'.
    return ApiError("SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + string_to_sign, 400)


def new_request_id():
    return str(uuid.uuid4()).upper()


def error_body(error, request_id, host_id=None):
    body = {
        "RequestId": request_id,
        "HostId": host_id or HOST_ID,
        "Code": error.code,
        "Message": error.message,
        "Recommend": "https://api.aliyun.com/troubleshoot?q=%s&product=Ecs&requestId=%s" % (error.code, request_id),
    }
    body.update(getattr(error, "extra", None) or {})
    return body


def to_xml(root, obj):
    """An answer as the service writes it in XML: a dict's keys become elements, a list repeats its key."""
    from xml.sax.saxutils import escape

    def value_text(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return escape("" if value is None else str(value))

    def element(name, value):
        if isinstance(value, list):
            return "".join(element(name, item) for item in value)
        if isinstance(value, dict):
            return "<%s>%s</%s>" % (name, "".join(element(key, item) for key, item in value.items()), name)
        return "<%s>%s</%s>" % (name, value_text(value), name)
    return '<?xml version="1.0" encoding="UTF-8"?>' + element(root, obj)
