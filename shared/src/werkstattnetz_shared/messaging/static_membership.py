"""Leaving a consumer group as a static member (KIP-345), which aiokafka does not do by itself.

A static member (one with `group.instance.id`) keeps its partitions while it is briefly away: a
restarted instance after a kill -9 rejoins under the same id and resumes at once, without waiting
for the dead member's session to expire. The price is that closing a static consumer sends no
LeaveGroup, so on a normal shutdown its partitions would sit idle for a whole session timeout.
We therefore send the LeaveGroup v3 request that names the instance id (the same request as the
Java admin client's `removeMembersFromConsumerGroup`); aiokafka only knows v0/v1, which cannot
remove a static member.
"""

from __future__ import annotations

import logging
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Int16, Int32, Schema, String

log = logging.getLogger(__name__)


class LeaveGroupResponseV3(Response):  # type: ignore[misc]
    API_KEY = 13
    API_VERSION = 3
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        (
            "members",
            Array(
                ("member_id", String("utf-8")), ("group_instance_id", String("utf-8")), ("error_code", Int16)
            ),
        ),
    )


class LeaveGroupRequestV3(RequestStruct):  # type: ignore[misc]
    API_KEY = 13
    API_VERSION = 3
    RESPONSE_TYPE = LeaveGroupResponseV3
    SCHEMA = Schema(
        ("group_id", String("utf-8")),
        ("members", Array(("member_id", String("utf-8")), ("group_instance_id", String("utf-8")))),
    )


class StaticMemberLeave(Request[LeaveGroupRequestV3]):  # type: ignore[misc]
    API_KEY = 13

    def __init__(self, group_id: str, member_id: str, group_instance_id: str) -> None:
        self._group_id = group_id
        self._member_id = member_id
        self._group_instance_id = group_instance_id

    def build(self, request_struct_class: type[LeaveGroupRequestV3]) -> LeaveGroupRequestV3:
        return request_struct_class(self._group_id, [(self._member_id, self._group_instance_id)])


async def leave_group_as_static_member(consumer: AIOKafkaConsumer, group_id: str, instance_id: str) -> bool:
    """Ask the coordinator to remove this static member now; True when it did.

    Uses the consumer's own connection to its group coordinator (private aiokafka attributes,
    kept to this one function); any failure only means the partitions move after the session
    timeout instead of at once, so it is logged, not raised.
    """
    coordinator: Any = getattr(consumer, "_coordinator", None)
    client: Any = getattr(consumer, "_client", None)
    if coordinator is None or client is None or coordinator.coordinator_id is None:
        return False
    request = StaticMemberLeave(group_id, coordinator.member_id, instance_id)
    try:
        response = await client.send(coordinator.coordinator_id, request)
    except Exception as error:  # noqa: BLE001 - best effort, see docstring
        log.warning("could not leave consumer group %s as static member: %r", group_id, error)
        return False
    errors = [response.error_code, *(member[2] for member in response.members)]
    if any(errors):
        log.warning("leaving consumer group %s refused: error codes %s", group_id, errors)
        return False
    log.info("left consumer group %s (static member %s)", group_id, instance_id)
    return True
