"""The admin API: the staff directory (and each member's own settings), the notification rules and
the webhook subscriptions — who may use it, what it stores, and how it refuses bad input."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from notifications.settings import NotificationsSettings
from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration

ADMIN = auth_header("admin", subject="root")
MANAGER = auth_header("manager", subject="boss")
CASEWORKER = auth_header("caseworker", subject="kim")


def field_and_rule(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    return detail["field"], detail["rule"]


def member(**overrides: Any) -> dict[str, Any]:
    return {
        "email": "kim@werkstatt.example",
        "roles": ["caseworker"],
        "channel": "email",
        "language": "de",
        "quiet_hours": {"from": "22:00", "until": "07:00"},
        "active": True,
    } | overrides


async def test_only_staff_with_the_right_role_get_in(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    some_id = uuid.uuid4()
    async with start_notifications(smtp_server) as service:
        client = service.client
        endpoints = [
            ("GET", "/v1/me", None),
            ("PATCH", "/v1/me", {}),
            ("GET", "/v1/staff", None),
            ("GET", "/v1/staff/kim", None),
            ("PUT", "/v1/staff/kim", member()),
            ("DELETE", "/v1/staff/kim", None),
            ("GET", "/v1/rules", None),
            ("POST", "/v1/rules", {"kind": "placement", "audience": "workshop_lead"}),
            ("GET", f"/v1/rules/{some_id}", None),
            ("PUT", f"/v1/rules/{some_id}", {"kind": "placement", "audience": "workshop_lead"}),
            ("DELETE", f"/v1/rules/{some_id}", None),
            ("GET", "/v1/webhooks", None),
            ("POST", "/v1/webhooks", {"name": "x", "url": "https://x.example", "kinds": ["placement"]}),
            ("GET", f"/v1/webhooks/{some_id}", None),
            ("PATCH", f"/v1/webhooks/{some_id}", {"active": False}),
            ("POST", f"/v1/webhooks/{some_id}/secret", None),
            ("DELETE", f"/v1/webhooks/{some_id}", None),
        ]
        for method, path, body in endpoints:
            answer = await client.request(method, path, json=body)
            assert answer.status_code == 401, (method, path)

        readable_by_managers = {("GET", "/v1/staff"), ("GET", "/v1/staff/kim"), ("GET", "/v1/rules")}
        readable_by_managers.add(("GET", f"/v1/rules/{some_id}"))
        for method, path, body in endpoints:
            if path == "/v1/me":
                continue  # any staff member: see test_staff_members_keep_their_own_settings
            for role in ("intake", "caseworker", "reporting", "monitoring", "workshop_lead"):
                answer = await client.request(method, path, json=body, headers=auth_header(role))
                assert answer.status_code == 403, (method, path, role)
            as_manager = await client.request(method, path, json=body, headers=MANAGER)
            expected = {404} if (method, path) in readable_by_managers else {403}
            if (method, path) in {("GET", "/v1/staff"), ("GET", "/v1/rules")}:
                expected = {200}
            assert as_manager.status_code in expected, (method, path, as_manager.text)


async def test_admins_keep_the_staff_directory(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client

        created = await client.put("/v1/staff/kim", json=member(), headers=ADMIN)
        assert created.status_code == 201, created.text
        assert created.json() == {
            "subject": "kim",
            "email": "kim@werkstatt.example",
            "roles": ["caseworker"],
            "channel": "email",
            "language": "de",
            "quiet_hours": {"from": "22:00", "until": "07:00"},
            "active": True,
        }
        replaced = await client.put(
            "/v1/staff/kim",
            json=member(roles=["caseworker", "intake"], channel="inbox", language="en", quiet_hours=None),
            headers=ADMIN,
        )
        assert replaced.status_code == 200, replaced.text
        read = await client.get("/v1/staff/kim", headers=MANAGER)
        assert read.json() == replaced.json()
        assert read.json()["roles"] == ["caseworker", "intake"]
        assert read.json()["quiet_hours"] is None

        for subject, roles in [("ada", ["manager"]), ("bo", ["intake"]), ("cem", ["intake", "manager"])]:
            put = await client.put(f"/v1/staff/{subject}", json=member(roles=roles), headers=ADMIN)
            assert put.status_code == 201, put.text

        first = (await client.get("/v1/staff", params={"limit": 2}, headers=MANAGER)).json()
        assert [m["subject"] for m in first["items"]] == ["ada", "bo"]
        assert first["next_after"] == "bo"
        rest = await client.get("/v1/staff", params={"limit": 2, "after": "bo"}, headers=MANAGER)
        assert [m["subject"] for m in rest.json()["items"]] == ["cem", "kim"]
        intake = await client.get("/v1/staff", params={"role": "intake"}, headers=ADMIN)
        assert [m["subject"] for m in intake.json()["items"]] == ["bo", "cem", "kim"]
        assert intake.json()["next_after"] is None

        assert (await client.delete("/v1/staff/bo", headers=ADMIN)).status_code == 204
        assert (await client.get("/v1/staff/bo", headers=ADMIN)).json()["active"] is False
        assert (await client.delete("/v1/staff/bo", headers=ADMIN)).status_code == 204
        assert (await client.delete("/v1/staff/nobody", headers=ADMIN)).status_code == 404
        unknown = await client.get("/v1/staff/nobody", headers=ADMIN)
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "staff_member_must_be_known"


BAD_MEMBERS: list[tuple[dict[str, Any], str, str]] = [
    (member(email=None), "email", "email_required_for_mail_channel"),
    (member(email="not an address"), "email", "string_pattern_mismatch"),
    (member(roles=["boss"]), "roles.0", "enum"),
    (member(channel="sms"), "channel", "enum"),
    (member(language="fr"), "language", "enum"),
    (member(quiet_hours={"from": "22:00", "until": "22:00"}), "quiet_hours", "quiet_hours_must_differ"),
    (member(quiet_hours={"from": "10pm", "until": "07:00"}), "quiet_hours.from", "time_written_as_hh_mm"),
    (member(quiet_hours={"from": "22:00"}), "quiet_hours.until", "missing"),
    (member(active="yes"), "active", "bool_type"),
    (member(password="x"), "password", "extra_forbidden"),
    (member(email="kim\x00@werkstatt.example"), "email", "no_nul_character"),
]


async def test_bad_directory_entries_are_refused_naming_field_and_rule(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client
        for body, field, rule in BAD_MEMBERS:
            answer = await client.put("/v1/staff/kim", json=body, headers=ADMIN)
            assert field_and_rule(answer) == (field, rule), body
        assert (await client.get("/v1/staff/kim", headers=ADMIN)).status_code == 404  # nothing written

        me = await client.put("/v1/staff/me", json=member(), headers=ADMIN)  # "me" is just a subject
        assert me.status_code == 201, me.text
        too_long = await client.put(f"/v1/staff/{'k' * 201}", json=member(), headers=ADMIN)
        assert field_and_rule(too_long) == ("path.subject", "string_too_long")
        paging = await client.get("/v1/staff", params={"role": "boss"}, headers=ADMIN)
        assert field_and_rule(paging) == ("query.role", "enum")


async def test_staff_members_keep_their_own_settings(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client
        not_yet = await client.get("/v1/me", headers=CASEWORKER)
        assert not_yet.status_code == 404
        assert not_yet.json()["error"]["code"] == "staff_member_must_be_known"
        assert (await client.patch("/v1/me", json={"language": "en"}, headers=CASEWORKER)).status_code == 404

        await client.put("/v1/staff/kim", json=member(), headers=ADMIN)
        mine = await client.get("/v1/me", headers=CASEWORKER)
        assert mine.status_code == 200
        assert mine.json()["subject"] == "kim"

        changed = await client.patch(
            "/v1/me", json={"channel": "inbox", "email": None, "language": "en"}, headers=CASEWORKER
        )
        assert changed.status_code == 200, changed.text
        assert changed.json() | {} == mine.json() | {"channel": "inbox", "email": None, "language": "en"}
        quiet = await client.patch("/v1/me", json={"quiet_hours": None}, headers=CASEWORKER)
        assert quiet.json()["quiet_hours"] is None
        assert quiet.json()["language"] == "en"  # left out, so kept

        # Mail needs an address; roles and being active are the admins' to change.
        no_address = await client.patch("/v1/me", json={"channel": "email"}, headers=CASEWORKER)
        assert field_and_rule(no_address) == ("email", "email_required_for_mail_channel")
        for body, field, rule in [
            ({"roles": ["admin"]}, "roles", "extra_forbidden"),
            ({"active": True}, "active", "extra_forbidden"),
            ({"channel": None}, "channel", "value_must_not_be_null"),
            ({"quiet_hours": {"from": "07:00", "until": "07:00"}}, "quiet_hours", "quiet_hours_must_differ"),
        ]:
            answer = await client.patch("/v1/me", json=body, headers=CASEWORKER)
            assert field_and_rule(answer) == (field, rule), body
        after = await client.get("/v1/staff/kim", headers=ADMIN)
        assert after.json() == quiet.json()  # nothing half-written
        assert after.json()["roles"] == ["caseworker"]


async def test_admins_change_the_notification_rules(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client
        defaults = (await client.get("/v1/rules", headers=MANAGER)).json()
        assert len(defaults) == 10
        targets = {(r["kind"], r["audience"], r["role"]) for r in defaults}
        assert ("placement", "responsible_caseworker", None) in targets
        assert ("placement", "workshop_lead", None) in targets
        assert ("integration", "role", "manager") in targets
        assert [r["urgent"] for r in defaults if r["kind"] == "offer_expiring"] == [True]
        placement = (await client.get("/v1/rules", params={"kind": "placement"}, headers=MANAGER)).json()
        assert sorted(r["audience"] for r in placement) == ["responsible_caseworker", "workshop_lead"]

        new_rule = {"kind": "integration", "audience": "person", "subject": "ada", "timing": "digest"}
        key = {"Idempotency-Key": str(uuid.uuid4())}
        created = await client.post("/v1/rules", json=new_rule, headers=ADMIN | key)
        assert created.status_code == 201, created.text
        rule = created.json()
        assert rule | {"rule_id": None} == {
            "rule_id": None,
            "kind": "integration",
            "audience": "person",
            "role": None,
            "subject": "ada",
            "channel": "preferred",
            "timing": "digest",
            "urgent": False,
        }
        assert created.headers["Location"] == f"/v1/rules/{rule['rule_id']}"
        again = await client.post("/v1/rules", json=new_rule, headers=ADMIN | key)
        assert again.status_code == 201
        assert again.json() == rule
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.headers["Location"] == created.headers["Location"]
        other_body = await client.post("/v1/rules", json=new_rule | {"subject": "bo"}, headers=ADMIN | key)
        assert other_body.status_code == 409
        assert other_body.json()["error"]["code"] == "idempotency_key_reused"
        assert (await client.get(created.headers["Location"], headers=MANAGER)).json() == rule
        assert len((await client.get("/v1/rules", headers=ADMIN)).json()) == 11

        replacement = {"kind": "integration", "audience": "role", "role": "reporting", "urgent": True}
        replaced = await client.put(f"/v1/rules/{rule['rule_id']}", json=replacement, headers=ADMIN)
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["subject"] is None
        assert replaced.json()["role"] == "reporting"
        assert (await client.get(f"/v1/rules/{rule['rule_id']}", headers=ADMIN)).json() == replaced.json()

        assert (await client.delete(f"/v1/rules/{rule['rule_id']}", headers=ADMIN)).status_code == 204
        gone = await client.get(f"/v1/rules/{rule['rule_id']}", headers=ADMIN)
        assert gone.status_code == 404
        assert gone.json()["error"]["code"] == "notification_rule_must_be_known"
        assert (await client.delete(f"/v1/rules/{rule['rule_id']}", headers=ADMIN)).status_code == 404
        unknown = await client.put(f"/v1/rules/{uuid.uuid4()}", json=replacement, headers=ADMIN)
        assert unknown.status_code == 404


BAD_RULES: list[tuple[dict[str, Any], str, str]] = [
    ({"kind": "placement", "audience": "role"}, "role", "audience_must_match_its_target"),
    ({"kind": "placement", "audience": "person"}, "subject", "audience_must_match_its_target"),
    ({"kind": "placement", "audience": "person", "subject": ""}, "subject", "string_too_short"),
    (
        {"kind": "placement", "audience": "person", "subject": "x", "role": "intake"},
        "role",
        "audience_must_match_its_target",
    ),
    (
        {"kind": "placement", "audience": "workshop_lead", "subject": "x"},
        "subject",
        "audience_must_match_its_target",
    ),
    ({"kind": "placement", "audience": "role", "role": "boss"}, "role", "enum"),
    ({"kind": "birthday", "audience": "workshop_lead"}, "kind", "enum"),
    ({"kind": "placement", "audience": "everyone"}, "audience", "enum"),
    ({"kind": "placement", "audience": "workshop_lead", "channel": "sms"}, "channel", "enum"),
    ({"kind": "placement", "audience": "workshop_lead", "timing": "weekly"}, "timing", "enum"),
    ({"kind": "placement", "audience": "workshop_lead", "urgent": "yes"}, "urgent", "bool_type"),
    ({"audience": "workshop_lead"}, "kind", "missing"),
]


async def test_incomplete_rules_are_refused_naming_field_and_rule(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client
        some_rule = (await client.get("/v1/rules", headers=ADMIN)).json()[0]
        for body, field, rule in BAD_RULES:
            created = await client.post("/v1/rules", json=body, headers=ADMIN)
            assert field_and_rule(created) == (field, rule), body
            replaced = await client.put(f"/v1/rules/{some_rule['rule_id']}", json=body, headers=ADMIN)
            assert field_and_rule(replaced) == (field, rule), body
        assert len((await client.get("/v1/rules", headers=ADMIN)).json()) == 10
        assert (await client.get(f"/v1/rules/{some_rule['rule_id']}", headers=ADMIN)).json() == some_rule
        assert field_and_rule(await client.get("/v1/rules/seven", headers=ADMIN)) == (
            "path.rule_id",
            "uuid_parsing",
        )
        assert field_and_rule(await client.get("/v1/rules", params={"kind": "x"}, headers=ADMIN)) == (
            "query.kind",
            "enum",
        )


async def test_admins_subscribe_partners_by_webhook_and_see_each_secret_once(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client
        body = {
            "name": "Jobcenter",
            "url": "https://jobcenter.example/hooks",
            "kinds": ["placement", "integration"],
        }
        created = await client.post("/v1/webhooks", json=body, headers=ADMIN)
        assert created.status_code == 201, created.text
        webhook = created.json()
        secret = webhook.pop("secret")
        assert len(secret) >= 40
        assert webhook | {"subscription_id": None} == {
            "subscription_id": None,
            "name": "Jobcenter",
            "url": "https://jobcenter.example/hooks",
            "kinds": ["integration", "placement"],
            "active": True,
        }
        location = f"/v1/webhooks/{webhook['subscription_id']}"
        assert created.headers["Location"] == location
        assert await stored_secret(service.settings, webhook["subscription_id"]) == secret

        # The secret is never read back.
        assert (await client.get(location, headers=ADMIN)).json() == webhook
        assert (await client.get("/v1/webhooks", headers=ADMIN)).json() == [webhook]

        taken = await client.post("/v1/webhooks", json=body | {"url": "http://other.example"}, headers=ADMIN)
        assert taken.status_code == 409
        assert taken.json()["error"]["code"] == "webhook_name_must_be_unique"
        assert taken.json()["error"]["conflicting_id"] == webhook["subscription_id"]

        changed = await client.patch(location, json={"kinds": ["absences"], "active": False}, headers=ADMIN)
        assert changed.status_code == 200, changed.text
        assert changed.json() == webhook | {"kinds": ["absences"], "active": False}
        moved = await client.patch(location, json={"url": "http://partner.example:8080/in"}, headers=ADMIN)
        assert moved.json() == changed.json() | {"url": "http://partner.example:8080/in"}

        rotated = await client.post(f"{location}/secret", headers=ADMIN)
        assert rotated.status_code == 200, rotated.text
        new_secret = rotated.json().pop("secret")
        assert new_secret != secret
        assert await stored_secret(service.settings, webhook["subscription_id"]) == new_secret
        assert "secret" not in (await client.get(location, headers=ADMIN)).json()

        assert (await client.delete(location, headers=ADMIN)).status_code == 204
        for method, path in [
            ("GET", location),
            ("PATCH", location),
            ("POST", f"{location}/secret"),
            ("DELETE", location),
        ]:
            answer = await client.request(method, path, json={} if method == "PATCH" else None, headers=ADMIN)
            assert answer.status_code == 404, (method, answer.text)
            assert answer.json()["error"]["code"] == "webhook_must_be_known"


BAD_WEBHOOKS: list[tuple[dict[str, Any], str, str]] = [
    ({"url": "ftp://partner.example/in"}, "url", "url_must_be_absolute_http"),
    ({"url": "/hooks"}, "url", "url_must_be_absolute_http"),
    ({"url": "https://partner example/in"}, "url", "url_must_be_absolute_http"),
    ({"url": "https://partner.example/" + "x" * 2000}, "url", "string_too_long"),
    ({"kinds": []}, "kinds", "too_short"),
    ({"kinds": ["birthday"]}, "kinds.0", "enum"),
    ({"name": ""}, "name", "string_too_short"),
    ({"name": "Job\ncenter"}, "name", "no_control_characters"),
    ({"secret": "mine"}, "secret", "extra_forbidden"),
]


async def test_bad_webhooks_are_refused_naming_field_and_rule(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        client = service.client
        good = {"name": "Partner", "url": "https://partner.example/in", "kinds": ["placement"]}
        for change, field, rule in BAD_WEBHOOKS:
            answer = await client.post("/v1/webhooks", json=good | change, headers=ADMIN)
            assert field_and_rule(answer) == (field, rule), change
        assert (await client.get("/v1/webhooks", headers=ADMIN)).json() == []

        location = (await client.post("/v1/webhooks", json=good, headers=ADMIN)).headers["Location"]
        for change, field, rule in [
            *[(c, f, r) for c, f, r in BAD_WEBHOOKS if f in {"url", "kinds", "kinds.0"}],
            ({"url": None}, "url", "string_type"),  # left out keeps it; null is no url
            ({"active": None}, "active", "bool_type"),
            ({"active": "no"}, "active", "bool_type"),
            ({"name": "Renamed"}, "name", "extra_forbidden"),
        ]:
            answer = await client.patch(location, json=change, headers=ADMIN)
            assert field_and_rule(answer) == (field, rule), change
        assert (await client.get(location, headers=ADMIN)).json()["url"] == good["url"]


async def stored_secret(settings: NotificationsSettings, subscription_id: str) -> str:
    connection = await asyncpg.connect(settings.database_url)
    try:
        secret: str = await connection.fetchval(
            "SELECT secret FROM webhook_subscriptions WHERE subscription_id = $1", uuid.UUID(subscription_id)
        )
        return secret
    finally:
        await connection.close()
