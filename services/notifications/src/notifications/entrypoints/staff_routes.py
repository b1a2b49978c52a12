"""Each staff member's own notification settings (/v1/me) and the staff directory (/v1/staff)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from notifications.application import administration
from notifications.application.administration import KEEP, OwnSettingsChange
from notifications.domain.directory import StaffMember, StaffMemberMustBeKnown
from notifications.entrypoints.admin_common import (
    Admins,
    AnyStaff,
    Readers,
    SubjectPath,
    UnitOfWork,
    answer,
    api_error,
    build,
    now,
)
from notifications.entrypoints.admin_schemas import (
    MAX_SUBJECT_LENGTH,
    OwnSettingsRequest,
    StaffMemberRequest,
    StaffMemberView,
    StaffPage,
    staff_member_view,
)
from werkstattnetz_shared.web.auth import StaffRole
from werkstattnetz_shared.web.dependencies import PageLimit
from werkstattnetz_shared.web.errors import error_responses

router = APIRouter(prefix="/v1", responses=error_responses(401, 403, 503))

# -- own settings: /v1/me, not /v1/staff/me, which /v1/staff/{subject} would also match


@router.get("/me", response_model=StaffMemberView, tags=["staff directory"], responses=error_responses(404))
async def get_own_settings(staff: AnyStaff, uow: UnitOfWork) -> StaffMemberView:
    """How the caller is notified (404 until an admin has put them into the directory)."""
    async with uow:
        member = await uow.staff.get(staff.subject)
    if member is None:
        raise api_error(StaffMemberMustBeKnown(f"the staff directory has no entry for {staff.subject} yet"))
    return staff_member_view(member)


@router.patch(
    "/me", response_model=StaffMemberView, tags=["staff directory"], responses=error_responses(404, 422)
)
async def change_own_settings(body: OwnSettingsRequest, staff: AnyStaff, uow: UnitOfWork) -> StaffMemberView:
    """Channel, language, quiet hours and e-mail address; roles and being active are the admins'."""
    given = body.model_fields_set
    change = build(
        lambda: OwnSettingsChange(
            email=body.email if "email" in given else KEEP,
            channel=body.channel if "channel" in given and body.channel is not None else KEEP,
            language=body.language if "language" in given and body.language is not None else KEEP,
            quiet_hours=(body.quiet_hours.quiet_hours() if body.quiet_hours else None)
            if "quiet_hours" in given
            else KEEP,
        )
    )
    changed = await answer(
        uow, lambda: administration.change_own_settings(staff.subject, change, now(), uow=uow)
    )
    return staff_member_view(changed)


# -- the staff directory


@router.get("/staff", response_model=StaffPage, tags=["staff directory"], responses=error_responses(422))
async def list_staff(
    staff: Readers,
    uow: UnitOfWork,
    role: Annotated[StaffRole | None, Query(description="Only members with this role")] = None,
    after: Annotated[
        str | None, Query(max_length=MAX_SUBJECT_LENGTH, description="subject of the last item seen")
    ] = None,
    limit: PageLimit = 50,
) -> StaffPage:
    """The directory by subject, inactive members included."""
    async with uow:
        members = await uow.staff.page(after, limit, role.value if role else None)
    items = [staff_member_view(member) for member in members]
    return StaffPage(items=items, next_after=items[-1].subject if len(items) == limit else None)


@router.get(
    "/staff/{subject}",
    response_model=StaffMemberView,
    tags=["staff directory"],
    responses=error_responses(404, 422),
)
async def get_staff_member(subject: SubjectPath, staff: Readers, uow: UnitOfWork) -> StaffMemberView:
    async with uow:
        member = await uow.staff.get(subject)
    if member is None:
        raise api_error(StaffMemberMustBeKnown(f"the staff directory has no entry for {subject}"))
    return staff_member_view(member)


@router.put(
    "/staff/{subject}",
    response_model=StaffMemberView,
    tags=["staff directory"],
    responses={
        201: {"description": "Put into the directory", "model": StaffMemberView},
        **error_responses(422),
    },
)
async def put_staff_member(
    subject: SubjectPath, body: StaffMemberRequest, response: Response, staff: Admins, uow: UnitOfWork
) -> StaffMemberView:
    """Creates (201) or replaces (200) the directory entry of `subject`."""
    member = build(
        lambda: StaffMember(
            subject=subject,
            email=body.email,
            roles=frozenset(role.value for role in body.roles),
            channel=body.channel,
            language=body.language,
            quiet_hours=body.quiet_hours.quiet_hours() if body.quiet_hours else None,
            active=body.active,
        )
    )
    created = await answer(uow, lambda: administration.put_staff_member(member, now(), uow=uow))
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return staff_member_view(member)


@router.delete(
    "/staff/{subject}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["staff directory"],
    responses=error_responses(404, 422),
)
async def deactivate_staff_member(subject: SubjectPath, staff: Admins, uow: UnitOfWork) -> None:
    """Deactivates the entry: kept (deliveries name it), but nobody notifies them any more."""
    await answer(uow, lambda: administration.deactivate_staff_member(subject, uow=uow))
