# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API answers from the documentation pages and SDK models (/work/shared/seeds), for the tasks tests."""

from __future__ import annotations

# DescribeTaskAttribute.en.txt / .en-short.txt: ErrorCode on a *Success* operation.
ATTRIBUTE_EN = {
    "CreationTime": "2015-11-23T02:13Z",
    "SupportCancel": True,
    "TotalCount": 1,
    "SuccessCount": 1,
    "RegionId": "cn-hangzhou",
    "TaskAction": "ExportImage",
    "FailedCount": 0,
    "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
    "TaskStatus": "Finished",
    "TaskProcess": "100%",
    "FinishedTime": "2015-11-23T02:19Z",
    "TaskId": "t-ce946ntx4wr****",
    "OperationProgressSet": {
        "OperationProgress": [
            {
                "ErrorMsg": "The specified RegionId parameter is invalid.",
                "ErrorCode": "ParameterInvalid",
                "OperationStatus": "Success",
                "RelatedItemSet": {
                    "RelatedItem": [
                        {"Name": "OSSObject", "Value": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"}
                    ]
                }
            }
        ]
    }
}

# DescribeTaskAttribute.zh-CN.md and .reseller.en.md: three related items, empty error strings.
ATTRIBUTE_ZH = {
    "CreationTime": "2015-11-23T02:13Z",
    "OperationProgressSet": {
        "OperationProgress": [
            {
                "RelatedItemSet": {
                    "RelatedItem": [
                        {"Name": "OSSBucket", "Value": "image-temp"},
                        {"Name": "OSSObject", "Value": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"},
                        {"Name": "ImageFormat", "Value": "vhd"}
                    ]
                },
                "ErrorMsg": "",
                "ErrorCode": "",
                "OperationStatus": "Success"
            }
        ]
    },
    "FinishedTime": "2015-11-23T02:19Z",
    "FailedCount": 0,
    "SupportCancel": True,
    "TotalCount": 1,
    "SuccessCount": 1,
    "RequestId": "4BE2C7FE-C7A4-4675-A153-174E032AABFB",
    "RegionId": "cn-hangzhou",
    "TaskAction": "ExportImage",
    "TaskStatus": "Finished",
    "TaskProcess": "100%",
    "TaskId": "t-ce946ntx4wr****"
}

# DescribeTasks.en.txt: TaskSet as an array of {"Task": [...]}.
DESCRIBE_TASKS_DOC = {
    "PageNumber": 1,
    "TotalCount": 2,
    "PageSize": 2,
    "RegionId": "cn-hangzhou",
    "TaskSet": [
        {
            "Task": [
                {
                    "CreationTime": "2015-11-24T12:50Z",
                    "FinishedTime": "2015-11-24T12:50Z",
                    "SupportCancel": True,
                    "TaskAction": "ImportImage",
                    "TaskStatus": "Finished",
                    "TaskId": "t-bp1hvgwromzv32iq****"
                },
                {
                    "CreationTime": "2015-11-23T15:10Z",
                    "FinishedTime": "2015-11-23T15:16Z",
                    "SupportCancel": True,
                    "TaskAction": "ImportImage",
                    "TaskStatus": "Finished",
                    "TaskId": "t-bp179lofu2pv768w****"
                }
            ]
        }
    ],
    "RequestId": "F746C690-D9EA-4F87-AF31-8E1910FAB541"
}

# The same answer in the SDK models' shape (TaskSet.Task, strings for booleans, upper snake action).
DESCRIBE_TASKS_SDK = {
    "PageNumber": 1, "TotalCount": 2, "PageSize": 2, "RegionId": "cn-hangzhou",
    "RequestId": "E5C82807-5588-4661-9A96-350B206A7623",
    "TaskSet": {"Task": [
        {"CreationTime": "2015-11-24T12:50Z", "FinishedTime": "2015-11-24T12:50Z", "SupportCancel": "true",
         "TaskAction": "IMPORT_IMAGE", "TaskStatus": "Finished", "TaskId": "t-bp1hvgwromzv32iq****"},
        {"CreationTime": "2015-11-23T15:10Z", "FinishedTime": "2015-11-23T15:16Z", "SupportCancel": "true",
         "TaskAction": "IMPORT_IMAGE", "TaskStatus": "Finished", "TaskId": "t-bp179lofu2pv768w****"},
    ]},
}

DOC_TASK_IDS = ["t-bp1hvgwromzv32iq****", "t-bp179lofu2pv768w****"]
RECORD_KEYS = {
    "task_id", "task_action", "task_status", "progress", "creation_time", "finished_time", "support_cancel",
    "total_count", "success_count", "failed_count", "resource_id", "region", "related_items",
    "operation_progress", "error_code", "error_msg", "related_item_values",
}
